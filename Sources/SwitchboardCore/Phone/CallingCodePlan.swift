/// A country calling code and the regions that share it, such as +44 with GB, GG, IM and JE.
struct CallingCodePlan: Sendable {
    let code: Int
    /// Never empty. The main region comes first, then the others in the order libphonenumber's
    /// `region_code_for_number` tries them.
    let regions: [RegionPlan]

    init(code: Int, regions: [RegionPlan]) {
        precondition(!regions.isEmpty, "a calling code without regions")
        self.code = code
        self.regions = regions
    }

    /// The region whose rules `parse` and `is_possible_number` apply to every number of the code.
    var main: RegionPlan { regions[0] }

    /// The region a national number belongs to, like libphonenumber's `region_code_for_number`:
    /// each region in turn claims the number by its leading digits when it has them, otherwise by
    /// the number being valid there. `nil` when no region of a shared code claims it.
    func region(for nationalNumber: [UInt8]) -> RegionPlan? {
        guard regions.count > 1 else { return main }
        return regions.first { region in
            if let leadingDigits = region.leadingDigits {
                leadingDigits.matchesPrefix(nationalNumber)
            } else {
                region.isValid(nationalNumber)
            }
        }
    }

    /// The code and its best-known regions for messages, such as `+1 (US/CA and others)`.
    ///
    /// Regions without leading digits come right after the main region: they are the ones a whole
    /// numbering plan belongs to (CA beside US), rather than an island with an area code or two.
    var summary: String {
        if main.id == NumberingPlan.nonGeographicRegion { return "+\(code) (non-geographic)" }
        let others = regions.dropFirst()
        let wholePlans = others.filter { $0.leadingDigits == nil }
        let named = [main] + (wholePlans + others.filter { $0.leadingDigits != nil }).prefix(1)
        let names = named.map(\.id).joined(separator: "/")
        return regions.count > named.count ? "+\(code) (\(names) and others)" : "+\(code) (\(names))"
    }
}
