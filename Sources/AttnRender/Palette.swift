/// Distinct series colours (matplotlib's "tab10" qualitative palette), cycled by series index.
public enum Palette {
    /// The ten colours in order: blue, orange, green, red, purple, brown, pink, grey, olive, cyan.
    public static let tab10: [RGBA] = [
        0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd, 0x8c564b, 0xe377c2, 0x7f7f7f, 0xbcbd22, 0x17becf,
    ].map { RGBA(hex: $0) }

    /// The colour of series `index` (cycling after ten).
    public static func color(_ index: Int) -> RGBA { tab10[((index % tab10.count) + tab10.count) % tab10.count] }
}
