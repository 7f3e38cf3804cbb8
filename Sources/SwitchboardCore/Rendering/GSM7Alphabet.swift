/// The GSM 03.38 default alphabet and its extension table, as what each Unicode scalar costs in septets.
///
/// Only the default alphabet counts: national language shift tables are not used by the providers we
/// send through, so a character outside this table (`ç`, a backtick, a curly quote) makes the message UCS-2.
package enum GSM7Alphabet {
    /// The basic table in code order, 0x00 to 0x7F: a character's position is its septet.
    /// Position 0x1B is the escape to the extension table, not a character anyone can send.
    package static let basicTable: [Unicode.Scalar] =
        Array("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u{1B}ÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?".unicodeScalars)  // 0x00–0x3F
        + Array("¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà".unicodeScalars)  // 0x40–0x7F

    /// The extension table: each is sent as the escape septet followed by its code, so it costs two.
    package static let extensionTable: [Unicode.Scalar] = Array("\u{0C}^{}\\[~]|€".unicodeScalars)

    /// The septets `scalar` takes in a GSM-7 message: 1 (basic table), 2 (extension table), or `nil`
    /// when GSM-7 cannot carry it.
    package static func septets(for scalar: Unicode.Scalar) -> Int? {
        let cost = scalar.value < 256 ? latin1Costs[Int(scalar.value)] : otherCosts[scalar.value, default: 0]
        return cost == 0 ? nil : Int(cost)
    }

    private static let escape: Unicode.Scalar = "\u{1B}"

    /// Costs of U+0000 to U+00FF, where nearly every message's characters are; 0 means not GSM-7.
    private static let latin1Costs: [UInt8] = {
        var costs = [UInt8](repeating: 0, count: 256)
        for (scalar, cost) in allCosts where scalar.value < 256 { costs[Int(scalar.value)] = cost }
        return costs
    }()

    /// Costs of the few GSM-7 characters above U+00FF: Greek capitals and `€`.
    private static let otherCosts: [UInt32: UInt8] = Dictionary(
        uniqueKeysWithValues: allCosts.lazy.filter { $0.scalar.value >= 256 }.map { ($0.scalar.value, $0.cost) }
    )

    private static var allCosts: [(scalar: Unicode.Scalar, cost: UInt8)] {
        basicTable.filter { $0 != escape }.map { ($0, 1) } + extensionTable.map { ($0, 2) }
    }
}
