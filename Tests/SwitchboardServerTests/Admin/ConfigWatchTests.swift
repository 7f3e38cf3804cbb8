import Foundation
import SwitchboardCore
import SwitchboardServer
import SwitchboardTestSupport
import Testing

/// `server.watch_config`: which file changes cause a reload, on a clock moved by hand.
@Suite("Configuration watch", .timeLimit(.minutes(3)))
struct ConfigWatchTests {
    @Test("an atomic rename and an in-place write each cause one reload once settled; a burst of writes causes one")
    func renamesWritesAndBursts() async throws {
        let folder = try ConfigFolder("# version 1\n")
        defer { folder.remove() }
        let clock = ManualClock()
        let reloads = Locked(0)
        let watcher = ConfigWatchService(files: folder.files, clock: clock, quietPeriod: .seconds(1)) { reloads.withLock { $0 += 1 } }

        #expect(await watcher.check() == false)

        // Save-as-rename: a new file (a new inode) takes the old one's name.
        try folder.write("# version 2\n")
        #expect(await watcher.check() == false)
        clock.advance(by: .milliseconds(999))
        #expect(await watcher.check() == false)
        clock.advance(by: .milliseconds(1))
        #expect(await watcher.check() == true)
        #expect(await watcher.check() == false)
        #expect(reloads.withLock { $0 } == 1)

        // In place: same inode, new size and time.
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: folder.configPath))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("# appended in place\n".utf8))
        try handle.close()
        #expect(await watcher.check() == false)
        clock.advance(by: .seconds(1))
        #expect(await watcher.check() == true)
        #expect(reloads.withLock { $0 } == 2)

        // A burst: each write restarts the quiet period; one reload once it ends.
        for index in 0..<5 {
            try folder.write("# burst \(index)" + String(repeating: " ", count: index) + "\n")
            #expect(await watcher.check() == false)
            clock.advance(by: .milliseconds(500))
        }
        #expect(await watcher.check() == false)
        clock.advance(by: .milliseconds(500))
        #expect(await watcher.check() == true)
        clock.advance(by: .seconds(5))
        #expect(await watcher.check() == false)
        #expect(reloads.withLock { $0 } == 3)
    }
}
