/// What a head does over a run, from its per-head means (metrics.md's
/// "Head roles", and the thresholds of ``HeadRoleThresholds``).
public enum HeadRole: String, Codable, CaseIterable, Sendable {
    /// A sink head whose output is small next to its block's other heads: it parks its attention and adds little.
    case dormant
    /// It attends to the token after an earlier copy of the current token.
    case induction
    /// It attends to the previous token.
    case previousToken = "previous_token"
    /// It attends to earlier copies of the current token.
    case duplicate
    /// Its first-token importance exceeds ε: a sink head.
    case sink
    /// None of the above.
    case none

    /// The roles in the order a head's primary role is chosen: a dormant head
    /// is dormant whatever it attends to (dormant heads are mostly sink heads
    /// whose output is near zero); a pattern-matching role comes before the sink.
    public static let precedence: [HeadRole] = [.dormant, .induction, .previousToken, .duplicate, .sink]
}

/// The thresholds that assign ``HeadRole``s (metrics.json `settings.head_roles`); see the README for where they come from.
public struct HeadRoleThresholds: Codable, Equatable, Sendable {
    /// A previous-token head's mean `previous_token_score` exceeds this.
    public var previousToken: Double
    /// An induction head's mean `induction_score` exceeds this.
    public var induction: Double
    /// A duplicate-token head's mean `duplicate_token_score` exceeds this.
    public var duplicate: Double
    /// A dormant head is a sink head whose mean `head_output_norm` is below this fraction of the median over its block's heads.
    public var dormantNormFraction: Double

    /// The defaults: 0.4 for the three pattern scores, a fifth of the median output norm for dormancy.
    public init(
        previousToken: Double = 0.4, induction: Double = 0.4, duplicate: Double = 0.4, dormantNormFraction: Double = 0.2
    ) {
        self.previousToken = previousToken
        self.induction = induction
        self.duplicate = duplicate
        self.dormantNormFraction = dormantNormFraction
    }

    enum CodingKeys: String, CodingKey {
        case induction, duplicate
        case previousToken = "previous_token"
        case dormantNormFraction = "dormant_norm_fraction"
    }
}

/// One head's roles over a run (metrics.json `head_roles[l][h]`).
public struct HeadRoleAssignment: Codable, Equatable, Sendable {
    /// The first of ``HeadRole/precedence`` the head meets, or ``HeadRole/none``.
    public var role: HeadRole
    /// Every role the head meets, in precedence order (empty for none).
    public var roles: [HeadRole]

    public init(role: HeadRole, roles: [HeadRole]) {
        self.role = role
        self.roles = roles
    }
}

extension DatasetSummary {
    /// Every head's roles, `[L][H]`, from its means over the samples: a sink
    /// head when its mean first-token importance exceeds `sinkEpsilon`, a
    /// dormant one when it is also quiet next to its block's median head, the
    /// others by `thresholds`. A figure no sample defined (induction on a
    /// prompt set without repeats) gives no role.
    public func headRoles(
        sinkEpsilon: Double, thresholds: HeadRoleThresholds = HeadRoleThresholds()
    ) -> [[HeadRoleAssignment]] {
        heads.map { layer in
            var norms = layer.compactMap { $0[.headOutputNorm].mean }
            let medianNorm = norms.withUnsafeMutableBufferPointer { median(reordering: $0) }
            return layer.map { head in
                func exceeds(_ figure: MetricName, _ threshold: Double) -> Bool {
                    (head[figure].mean ?? -.infinity) > threshold
                }
                let sink = exceeds(.firstTokenImportance, sinkEpsilon)
                let quiet =
                    medianNorm.map { (head[.headOutputNorm].mean ?? .infinity) < thresholds.dormantNormFraction * $0 }
                    ?? false
                let met: [HeadRole: Bool] = [
                    .dormant: sink && quiet,
                    .induction: exceeds(.inductionScore, thresholds.induction),
                    .previousToken: exceeds(.previousTokenScore, thresholds.previousToken),
                    .duplicate: exceeds(.duplicateTokenScore, thresholds.duplicate),
                    .sink: sink,
                ]
                let roles = HeadRole.precedence.filter { met[$0] ?? false }
                return HeadRoleAssignment(role: roles.first ?? .none, roles: roles)
            }
        }
    }
}
