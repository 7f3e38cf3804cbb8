import Foundation
import HummingbirdTesting
import SwitchboardCore
import SwitchboardTestSupport
import Testing

/// Supabase's side played by the Standard Webhooks reference implementation (`standardwebhooks`
/// from PyPI, installed by scripts/setup) against a live server: its genuine call sends the code,
/// and a foreign secret, a changed body, a stale timestamp and a replay send nothing.
@Suite("Supabase hook called by the reference signer", .timeLimit(.minutes(3)))
struct SupabaseHookInteropTests {
    @Test func theReferenceSignersCallsAreJudgedAsSupabaseExpects() async throws {
        let python = repositoryPath(".build-fuzz-venv/bin/python")
        try #require(FileManager.default.isExecutableFile(atPath: python), "\(python) is missing: run scripts/setup")
        let clock = ManualClock()
        try await OTPTest.withApp(config: try OTPTest.config(SupabaseHookTests.yaml), clock: clock, testing: .live) { client in
            let port = try #require(client.http.port)
            let run = try await runExternalTool(python, [
                repositoryPath("Tests/Interop/supabase_hook.py"), "http://127.0.0.1:\(port)\(SupabaseHookTests.path)",
                SupabaseHookTests.secret, String(Int64(clock.date.timeIntervalSince1970)),
            ])
            try #require(run.status == 0, "the reference signer failed: \(run.output)")
            let calls = try #require(try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: [String: Any]], "\(run.output)")
            #expect(calls["genuine"]?["status"] as? Int == 200)
            #expect(calls["genuine"]?["body"] as? String == "{}")
            for refused in ["wrong_secret", "changed_body", "stale", "replayed"] {
                #expect(calls[refused]?["status"] as? Int == 401, "\(refused): \(calls[refused] ?? [:])")
            }
            let sent = try await client.inbox.latestInbox(to: OTPTest.phone, limit: 10)
            #expect(sent.map(\.text) == ["482915 is your Demo code."])
            #expect(try await client.inboxCount(to: "+447700900999") == 0)
        }
    }
}
