/// Every country calling code and the numbering rules of its regions, from libphonenumber's metadata.
///
/// The data is `NumberingPlan+Generated.swift`, written by `scripts/generate-numbering-plan.py`.
struct NumberingPlan: Sendable {
    /// The region code libphonenumber gives non-geographic entities such as +800 and +882.
    static let nonGeographicRegion = "001"

    /// The longest country calling code, in digits.
    static let maximumCallingCodeLength = 3

    /// The plan read from the generated table, once, on first use (a `static let` is initialised
    /// lazily and thread-safely).
    static let standard: NumberingPlan = {
        do {
            return try NumberingPlan(table: generatedTable)
        } catch {
            // The table is generated and covered by the tests, so this is a build defect, not input.
            fatalError("The generated numbering plan does not load: \(error)")
        }
    }()

    /// Indexed by calling code: codes have at most three digits, and an array beats a dictionary.
    private let plansByCode: [CallingCodePlan?]

    init(callingCodes: [CallingCodePlan]) {
        var plansByCode = [CallingCodePlan?](repeating: nil, count: 1000)
        for plan in callingCodes where plansByCode.indices.contains(plan.code) {
            plansByCode[plan.code] = plan
        }
        self.plansByCode = plansByCode
    }

    /// Every calling code, in ascending order.
    var callingCodes: [CallingCodePlan] { plansByCode.compactMap(\.self) }

    func callingCode(_ code: Int) -> CallingCodePlan? {
        plansByCode.indices.contains(code) ? plansByCode[code] : nil
    }

    /// The calling code that `digits` (values 0...9) start with and its length in digits, found
    /// like libphonenumber's `_extract_country_code`: the shortest known prefix of one to three
    /// digits, never one starting with 0.
    func callingCode(startOf digits: [UInt8]) -> (plan: CallingCodePlan, length: Int)? {
        guard let first = digits.first, first != 0 else { return nil }
        var code = 0
        for length in 1...min(digits.count, Self.maximumCallingCodeLength) {
            code = code * 10 + Int(digits[length - 1])
            if let plan = callingCode(code) { return (plan, length) }
        }
        return nil
    }
}
