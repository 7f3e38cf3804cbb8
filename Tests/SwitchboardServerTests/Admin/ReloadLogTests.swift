import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import SwitchboardCore
import SwitchboardServer
import SwitchboardTestSupport
import Testing

/// A refused reload is reported in the log too, with every problem as FILE:LINE:COLUMN, and the
/// applied one as its one-line summary.
@Suite("Configuration reload: the log", .timeLimit(.minutes(3)))
struct ReloadLogTests {
    @Test("a broken edit logs an error with FILE:LINE:COLUMN and the trigger; the next valid edit logs its summary")
    func brokenThenValid() async throws {
        let folder = try ConfigFolder(ReloadTests.versionA)
        defer { folder.remove() }
        let logs = LogRecords()
        try await folder.withApp(logger: logs.logger(label: "test")) { client, _ in
            try folder.write(ReloadTests.versionB.replacingOccurrences(of: "beta: { type: default }", with: "beta: { type: defualt }"))
            #expect(try await client.reload().status == .unprocessableContent)
            let refused = try #require(logs.all.first { $0.message == "configuration reload refused; the running configuration stays" })
            #expect(refused.level == .error)
            #expect(refused.metadata["sb.reload.trigger"] == "admin API")
            #expect(
                refused.metadata["sb.config.problems"]?.hasPrefix("\(folder.configPath):11:17: provider 'beta' has unknown type \"defualt\"") == true,
                "\(refused.metadata)"
            )

            try folder.write(ReloadTests.versionB)
            #expect(try await client.reload().status == .ok)
            let applied = try #require(logs.all.first { $0.message == "configuration reloaded" })
            #expect(applied.metadata["sb.config.change"] == "routes: changed everyone")
        }
    }
}
