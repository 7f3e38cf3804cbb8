import Testing

@testable import SwitchboardCore

@Suite struct CountryCodesTests {
    @Test func allOfficiallyAssignedCodes() {
        let codes = CountryCodes.iso3166Alpha2
        #expect(codes.count == 249)
        #expect(codes.allSatisfy { $0.count == 2 && $0.allSatisfy { $0.isASCII && $0.isUppercase } })
        for code in ["GB", "US", "CA", "FR", "DE", "GG", "JE", "IM", "AX", "BQ", "CW", "SS", "AQ"] {
            #expect(codes.contains(code), "\(code)")
        }
        for code in ["UK", "EL", "EU", "XK", "AC", "TA", "AN", "001", "gb", ""] {
            #expect(!codes.contains(code), "\(code)")
        }
    }

    @Test(arguments: [
        ("UK", "GB"), ("uk", "GB"), ("gb", "GB"), ("Gb", "GB"), ("EL", "GR"), ("el", "GR"),
        ("GBR", "GB"), ("gbr", "GB"), ("USA", "US"), ("DEU", "DE"), ("FRA", "FR"), ("CAN", "CA"),
        ("ZAF", "ZA"), ("CHE", "CH"),
    ])
    func suggestions(_ code: String, _ suggestion: String) {
        #expect(CountryCodes.suggestion(for: code) == suggestion)
    }

    @Test(arguments: ["GB", "US", "ZZ", "", "XYZW", "G", "001", "E L"])
    func noSuggestion(_ code: String) {
        #expect(CountryCodes.suggestion(for: code) == nil)
    }

    @Test func callingCodes() {
        #expect(CountryCodes.callingCodes(of: "GB") == ["44"])
        #expect(CountryCodes.callingCodes(of: "JE") == ["44"])
        #expect(CountryCodes.callingCodes(of: "CA") == ["1"])
        #expect(CountryCodes.callingCodes(of: "KZ") == ["7"])
        let nonGeographic = ["800", "808", "870", "878", "881", "882", "883", "888", "979"]
        #expect(CountryCodes.callingCodes(of: "001") == nonGeographic)
        #expect(CountryCodes.callingCodes(of: "AQ") == [])
        #expect(CountryCodes.callingCodes(of: "gb") == [])
        // The ISO countries libphonenumber has no numbering plan for.
        let withoutNumbers = CountryCodes.iso3166Alpha2.filter { CountryCodes.callingCodes(of: $0).isEmpty }
        #expect(withoutNumbers == ["AQ", "BV", "GS", "HM", "PN", "TF", "UM"])
    }

    /// The regions libphonenumber resolves numbers to are ISO codes, except the three it adds.
    @Test func phoneRegionsAreCountryCodes() {
        let regions = Set(NumberingPlan.standard.callingCodes.flatMap { $0.regions.map(\.id) })
        #expect(regions.subtracting(CountryCodes.iso3166Alpha2) == ["001", "AC", "TA", "XK"])
    }
}
