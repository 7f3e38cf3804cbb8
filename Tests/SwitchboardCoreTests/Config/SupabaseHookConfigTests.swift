import Foundation
import Testing
@testable import SwitchboardCore

/// `apps.ID.supabase_hook`: the Standard Webhooks secrets Supabase signs its Send SMS hook with.
@Suite("Supabase hook configuration")
struct SupabaseHookConfigTests {
    /// The app's `supabase_hook` goes on line 7.
    static func yaml(_ hook: String) -> String {
        configWithDemoApp(hook)
    }

    static let key = Data((1...32).map { UInt8($0) })

    @Test func secretsFromTheEnvironment() throws {
        let config = try parseConfig(
            Self.yaml("    supabase_hook: { secrets: [\"${HOOK_SECRET}\"] }"),
            environment: ["HOOK_SECRET": "v1,whsec_" + Self.key.base64EncodedString()]
        )
        #expect(config.apps.first?.supabaseHook?.secrets.map(\.key) == [Array(Self.key)])
    }

    @Test func withoutTheSectionTheHookIsOff() throws {
        #expect(try parseConfig(Self.yaml("")).apps.first?.supabaseHook == nil)
    }

    @Test func aMalformedSecretIsReportedAtItsPlaceWithoutItsValue() {
        let problems = configProblems(Self.yaml("    supabase_hook: { secrets: [\"${HOOK_SECRET}\"] }"), environment: ["HOOK_SECRET": "v1,plain-secret-value"])
        #expect(problems.map(\.line) == [7])
        #expect(problems.map(\.column) == [32])
        #expect(problems.first?.message.contains("v1,whsec_") == true)
        #expect(problems.first?.message.contains("plain-secret-value") == false)
    }

    @Test func aShortKeyAndAnEmptyListAreRefused() {
        let short = "v1,whsec_" + Data(repeating: 1, count: 8).base64EncodedString()
        expectOne(Self.yaml("    supabase_hook: { secrets: [\"\(short)\"] }"), line: 7, column: 32, contains: ["holds 8 bytes of key"])
        expectOne(Self.yaml("    supabase_hook: { secrets: [] }"), line: 7, column: 31, contains: ["is empty"])
        let misspelt = configProblems(Self.yaml("    supabase_hook: { secret: x }"))
        #expect(
            misspelt.map(\.description) == [
                "test.yaml:7:20: 'apps.demo.supabase_hook' needs 'secrets'",
                "test.yaml:7:22: unknown key 'secret' in 'apps.demo.supabase_hook' (did you mean 'secrets'?); allowed keys: secrets",
            ]
        )
    }
}
