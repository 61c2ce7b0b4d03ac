/// The report page's scripts: an error hook that writes any script error into the page (so a
/// headless browser's DOM dump shows it), and the map view, which reads the embedded data, draws
/// the chosen map on a canvas and keeps the view in the URL fragment
/// (`#layer=L&head=H&sample=S&token=I&scale=log|linear`, `I` a token position).
enum ReportScript {
    /// Runs first: every later script error lands in `#errors` and counts in `body[data-errors]`.
    static let errorHook = #"""
        window.onerror = function (message, source, line) {
          document.getElementById("errors").textContent += "script error: " + message + " (line " + line + ")\n";
          document.body.dataset.errors = String((+document.body.dataset.errors || 0) + 1);
        };
        """#

    /// The map view.
    static let mapView = #"""
        "use strict";
        (function () {
          const data = JSON.parse(document.getElementById("report-data").textContent);
          const $ = (id) => document.getElementById(id);
          const view = $("view");
          if (!view) { document.body.dataset.ready = "1"; return; }
          const model = data.model;
          const colors = [];
          for (let i = 0; i < 256; i++) colors.push(parseInt(data.colormap.substr(i * 6, 6), 16));
          const masking = parseInt(data.masked, 16), MASKED = [masking >> 16, (masking >> 8) & 255, masking & 255], FLOOR = 1e-4;
          const decoded = new Map();

          function mapOf(sample, layer) { return data.maps.find((m) => m.sample === sample && m.layer === layer); }
          function values(map) {
            let v = decoded.get(map);
            if (v) return v;
            const bytes = atob(map.data), n = bytes.length / 2;
            v = new Float32Array(n);
            for (let k = 0; k < n; k++) {
              const q = bytes.charCodeAt(2 * k) | (bytes.charCodeAt(2 * k + 1) << 8);
              v[k] = q === 0 ? 0 : Math.pow(10, data.codeFloor * (1 - (q - 1) / 65534));
            }
            decoded.set(map, v);
            return v;
          }
          function masked(map, i, j) {
            const f = map.factor, t = map.tokens;
            const q0 = i * f, q1 = Math.min(t - 1, q0 + f - 1), k0 = j * f, k1 = Math.min(t - 1, k0 + f - 1);
            if (model.causal && k0 > q1) return true;
            return map.window != null && k1 <= q0 - map.window;
          }
          function label(sample, index, map) {
            const tokens = data.samples[String(sample)].tokens, f = map ? map.factor : 1;
            if (f === 1) return tokens[index];
            const last = Math.min(tokens.length, (index + 1) * f) - 1;
            return "tokens " + index * f + "–" + last + " (" + tokens[index * f] + " … " + tokens[last] + ")";
          }

          const state = { layer: 0, head: 0, sample: data.maps.length ? data.maps[0].sample : 0, token: null, scale: "log" };
          function clampState() {
            state.layer = Math.max(0, Math.min(model.layers - 1, state.layer | 0));
            state.head = Math.max(0, Math.min(model.heads - 1, state.head | 0));
            if (!data.maps.some((m) => m.sample === state.sample) && data.maps.length) state.sample = data.maps[0].sample;
            if (state.scale !== "linear") state.scale = "log";
            const map = mapOf(state.sample, state.layer);
            if (state.token != null && (!map || !(state.token >= 0 && state.token < map.tokens))) state.token = null;
          }
          function readFragment() {
            const p = new URLSearchParams(location.hash.slice(1));
            for (const key of ["layer", "head", "sample", "token"]) {
              if (p.has(key) && p.get(key) !== "" && isFinite(+p.get(key))) state[key] = Math.floor(+p.get(key));
            }
            if (p.has("scale")) state.scale = p.get("scale");
            clampState();
          }
          function writeFragment() {
            let hash = "#layer=" + state.layer + "&head=" + state.head + "&sample=" + state.sample;
            if (state.token != null) hash += "&token=" + state.token;
            if (state.scale !== "log") hash += "&scale=" + state.scale;
            if (location.hash !== hash) history.replaceState(null, "", hash);
            $("permalink").setAttribute("href", hash);
          }

          function options(select, items, chosen) {
            select.textContent = "";
            for (const [value, text] of items) {
              const o = document.createElement("option");
              o.value = value; o.textContent = text; o.selected = value === chosen;
              select.appendChild(o);
            }
          }
          function color(map, v, top) {
            if (state.scale === "log") {
              const t = v <= FLOOR ? 0 : Math.log10(v / FLOOR) / Math.log10(Math.max(top, FLOOR * 10) / FLOOR);
              return colors[Math.round(Math.min(1, t) * 255)];
            }
            return colors[Math.round(Math.min(1, v / Math.max(top, 1e-12)) * 255)];
          }
          function draw(map) {
            const canvas = $("map"), n = map.size, v = values(map), base = state.head * n * n;
            let top = 0;
            for (let k = 0; k < n * n; k++) if (v[base + k] > top) top = v[base + k];
            const cell = Math.max(1, Math.floor(512 / n));
            // Token labels along both axes when one cell is one token and tall enough to name.
            const tokens = data.samples[String(state.sample)].tokens, named = map.factor === 1 && cell >= 5;
            const margin = named ? 84 : 0, side = n * cell;
            canvas.width = margin + side; canvas.height = margin + side;
            const g = canvas.getContext("2d"), image = g.createImageData(n, n);
            for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
              const o = 4 * (i * n + j);
              if (masked(map, i, j)) { image.data.set(MASKED, o); }
              else { const c = color(map, v[base + i * n + j], top); image.data[o] = c >> 16; image.data[o + 1] = (c >> 8) & 255; image.data[o + 2] = c & 255; }
              image.data[o + 3] = 255;
            }
            const off = document.createElement("canvas");
            off.width = n; off.height = n; off.getContext("2d").putImageData(image, 0, 0);
            g.fillStyle = "#ffffff"; g.fillRect(0, 0, canvas.width, canvas.height);
            g.imageSmoothingEnabled = false;
            g.drawImage(off, margin, margin, side, side);
            if (named) {
              const step = Math.ceil(10 / cell), short = (text) => (text.length > 12 ? text.slice(0, 11) + "…" : text);
              g.fillStyle = "#333333"; g.font = "10px monospace"; g.textBaseline = "middle";
              for (let k = 0; k < n; k += step) {
                g.textAlign = "right";
                g.fillText(short(tokens[k]), margin - 4, margin + (k + 0.5) * cell);
                g.save(); g.translate(margin + (k + 0.5) * cell, margin - 4); g.rotate(-Math.PI / 2);
                g.textAlign = "left"; g.fillText(short(tokens[k]), 0, 0); g.restore();
              }
            }
            if (state.token != null) {
              const t = Math.floor(state.token / map.factor);
              g.strokeStyle = "#ff2d2d"; g.lineWidth = 2;
              g.strokeRect(margin + 1, margin + t * cell + 1, side - 2, cell);
              g.strokeStyle = "#00e5ff";
              g.strokeRect(margin + t * cell + 1, margin + 1, cell, side - 2);
            }
            canvas.dataset.cell = String(cell);
            canvas.dataset.margin = String(margin);
            $("scale-note").textContent = (state.scale === "log" ? "log scale, " + FLOOR + " to " : "linear scale, 0 to ") + top.toPrecision(3)
              + (map.factor > 1 ? "; " + map.factor + "×" + map.factor + " block means of " + map.tokens + " tokens" : "");
          }
          function profile(id, title, map, entries) {
            const box = $(id), n = entries.length;
            box.textContent = "";
            const h = document.createElement("h4"); h.textContent = title; box.appendChild(h);
            const c = document.createElement("canvas"), width = 360, height = 80;
            c.width = width; c.height = height;
            const g = c.getContext("2d"), top = Math.max(1e-12, ...entries.map((e) => e.value));
            g.fillStyle = "#3b6ea8";
            entries.forEach((e, k) => { if (!e.masked) { const bar = (e.value / top) * (height - 4); g.fillRect((k * width) / n, height - bar, Math.max(1, width / n - 1), bar); } });
            box.appendChild(c);
            const list = document.createElement("ol");
            entries.filter((e) => !e.masked).sort((a, b) => b.value - a.value).slice(0, 5).forEach((e) => {
              const li = document.createElement("li");
              li.textContent = label(state.sample, e.index, map) + " (#" + e.index + "): " + e.value.toPrecision(3);
              list.appendChild(li);
            });
            box.appendChild(list);
          }
          function tokenStrip(map) {
            const strip = $("tokens");
            strip.textContent = "";
            for (let k = 0; k < map.size; k++) {
              const s = document.createElement("span");
              s.textContent = map.factor === 1 ? data.samples[String(state.sample)].tokens[k] : String(k * map.factor);
              s.dataset.index = String(k);
              if (state.token != null && k === Math.floor(state.token / map.factor)) s.className = "selected";
              strip.appendChild(s);
            }
          }
          function headTable() {
            const rows = data.heads.map((layer) => layer[state.layer]);
            const body = $("heads-body");
            body.textContent = "";
            for (let h = 0; h < model.heads; h++) {
              const tr = document.createElement("tr");
              tr.dataset.head = String(h);
              if (h === state.head) tr.className = "selected";
              const cells = [String(h)].concat(rows.map((r) => (r[h] == null ? "—" : r[h].toFixed(3))));
              for (const text of cells) { const td = document.createElement("td"); td.textContent = text; tr.appendChild(td); }
              body.appendChild(tr);
            }
          }
          function render() {
            clampState();
            writeFragment();
            const kept = new Set(data.maps.filter((m) => m.sample === state.sample).map((m) => m.layer));
            options($("layer"), Array.from({ length: model.layers }, (_, l) => [l, "block " + l + (kept.has(l) ? " (map)" : "")]), state.layer);
            options($("head"), Array.from({ length: model.heads }, (_, h) => [h, "head " + h]), state.head);
            options($("sample"), Array.from(new Set(data.maps.map((m) => m.sample))).map((s) => [s, "sample " + s]), state.sample);
            $("scale").value = state.scale;
            view.dataset.layer = String(state.layer);
            view.dataset.head = String(state.head);
            view.dataset.sample = String(state.sample);
            $("view-title").textContent = "Block " + state.layer + ", head " + state.head + ", sample " + state.sample;
            headTable();
            const map = mapOf(state.sample, state.layer);
            $("map-area").hidden = !map;
            $("no-map").hidden = !!map;
            if (!map) {
              $("no-map").textContent = "No map of block " + state.layer + " was kept for sample " + state.sample
                + " (kept: blocks " + Array.from(kept).join(", ") + "; analyze --save-attention keeps more).";
              return;
            }
            draw(map);
            tokenStrip(map);
            const n = map.size, v = values(map), base = state.head * n * n;
            if (state.token == null) {
              $("row").textContent = ""; $("column").textContent = "Click a token or a cell to see its row and column.";
              return;
            }
            const t = Math.floor(state.token / map.factor), name = label(state.sample, t, map);
            const one = map.factor === 1;
            profile("row", one ? "Row " + t + ": what " + name + " attends to" : "Rows of " + name + ": what they attend to", map,
              Array.from({ length: n }, (_, j) => ({ index: j, value: v[base + t * n + j], masked: masked(map, t, j) })));
            profile("column", one ? "Column " + t + ": who attends to " + name : "Columns of " + name + ": who attends to them", map,
              Array.from({ length: n }, (_, i) => ({ index: i, value: v[base + i * n + t], masked: masked(map, i, t) })));
          }
          function cellAt(event) {
            const canvas = $("map"), rect = canvas.getBoundingClientRect(), map = mapOf(state.sample, state.layer);
            const margin = +canvas.dataset.margin, cell = +canvas.dataset.cell, scale = canvas.width / rect.width;
            const x = (event.clientX - rect.left) * scale - margin, y = (event.clientY - rect.top) * scale - margin;
            const n = map.size, i = Math.floor(y / cell), j = Math.floor(x / cell);
            const where = x < 0 ? (y < 0 ? "corner" : "row label") : y < 0 ? "column label" : "cell";
            return { map, where, i: Math.max(0, Math.min(n - 1, i)), j: Math.max(0, Math.min(n - 1, j)) };
          }
          $("map").addEventListener("mousemove", (event) => {
            const { map, where, i, j } = cellAt(event), n = map.size;
            if (where !== "cell") return;
            $("readout").textContent = masked(map, i, j) ? "query " + label(state.sample, i, map) + " cannot see key " + label(state.sample, j, map) + " (masked)"
              : "query " + label(state.sample, i, map) + " → key " + label(state.sample, j, map) + ": " + values(map)[state.head * n * n + i * n + j].toPrecision(4);
          });
          $("map").addEventListener("click", (event) => {
            const { map, where, i, j } = cellAt(event);
            if (where === "corner") return;
            state.token = (where === "column label" ? j : i) * map.factor;
            render();
          });
          $("tokens").addEventListener("click", (event) => {
            const index = event.target.dataset && event.target.dataset.index;
            if (index != null) { state.token = +index * mapOf(state.sample, state.layer).factor; render(); }
          });
          $("heads-body").addEventListener("click", (event) => {
            const row = event.target.closest("tr");
            if (row) { state.head = +row.dataset.head; render(); }
          });
          for (const id of ["layer", "head", "sample"]) $(id).addEventListener("change", (event) => { state[id] = +event.target.value; render(); });
          $("scale").addEventListener("change", (event) => { state.scale = event.target.value; render(); });
          window.addEventListener("hashchange", () => { readFragment(); render(); });
          readFragment();
          render();
          document.body.dataset.ready = "1";
        })();
        """#
}
