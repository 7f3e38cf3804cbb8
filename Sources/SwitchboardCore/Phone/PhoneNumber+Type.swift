extension PhoneNumber {
    /// What kind of line the number is, as libphonenumber's `number_type` says (see ``NumberType``
    /// for the satellite and international-network codes); fictional numbers are mobiles.
    ///
    /// Computed on demand rather than at parse time: only the OTP flow asks, and it costs a pass
    /// over the region's type patterns.
    package var numberType: NumberType {
        numberType(using: .standard)
    }

    func numberType(using plan: NumberingPlan) -> NumberType {
        if let derived = NumberType.derived(callingCode: callingCode) { return derived }
        let digits = nationalNumber.utf8.map { $0 &- UInt8(ascii: "0") }
        guard let codePlan = plan.callingCode(callingCode),
            let region = codePlan.regions.first(where: { $0.id == self.region }),
            let type = region.numberType(of: digits)
        else {
            // A parsed number is valid in its region unless it is fictional, and the only fictional
            // range is a mobile one.
            return .mobile
        }
        return type
    }
}
