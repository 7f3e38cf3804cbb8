import Foundation
import Logging
import ServiceLifecycle
import SwitchboardCore
import SwitchboardServer
import SwitchboardStore
import Testing

@Suite("Background work as a service")
struct BackgroundWorkServiceTests {
    static func record(_ id: String) -> MessageRecord {
        let at = Date(timeIntervalSince1970: 1_800_000_000)
        return MessageRecord(
            id: id,
            app: "demo",
            kind: .transactional,
            to: "+447700900123",
            country: "GB",
            route: "rest",
            sender: "Demo",
            loggedText: "Hello",
            encoding: .gsm7,
            segments: 1,
            status: .pending,
            createdAt: at,
            updatedAt: at
        )
    }

    @Test("a graceful shutdown drains the queued saves before the store, added first, closes")
    func shutdownDrainsBeforeTheStoreCloses() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-background-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let quiet = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
        let store = try await SQLiteStore.open(path: folder + "/switchboard.sqlite", logger: quiet)
        try await store.migrate()
        let work = BackgroundWork()
        let group = ServiceGroup(services: [store, work], logger: quiet)
        let ids = (0..<5).map { "msg_queued_\($0)" }
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            for id in ids {
                work.submit {
                    try? await Task.sleep(for: .milliseconds(50))
                    try? await store.save(Self.record(id))
                }
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        let reopened = try await SQLiteStore.open(path: folder + "/switchboard.sqlite", logger: quiet)
        for id in ids {
            #expect(try await reopened.message(id: id) == Self.record(id))
        }
        try await reopened.close()
    }
}
