import Foundation
import SwitchboardCore
import Testing

@Suite struct TaskStackTests {
    @Test func theFramesOfTheCallsThatFollowArePackedIntoTheRoomOneAfterAnother() async throws {
        let room = try #require(TaskStack.reserve(Self.room))
        var tops: [UnsafeMutableRawPointer] = []
        await Self.descend(levels: 64, tops: &tops)
        // The first levels may still fit in what is left of the slab the test's own frame is in;
        // the rest are in the room, each level's frame right after the one above it. Frames in
        // slabs of their own would leave a gap at every slab's start.
        let inRoom = tops.filter { $0 >= room && $0 < room + Self.room }
        #expect(inRoom.count >= 56, "\(inRoom.count) of 64 levels in the room")
        let steps = Set(zip(inRoom, inRoom.dropFirst()).map { $1 - $0 })
        #expect(steps.count == 1, "steps between levels: \(steps.sorted())")
    }

    @Test func theTaskKeepsTheRoomAndGivesTheSameAgain() async throws {
        let first = try #require(TaskStack.reserve(Self.room))
        // Blocks of the room's size from the heap in between: a room handed back to the heap would
        // be one of them.
        let blocks = (0..<4).map { _ in UnsafeMutableRawPointer.allocate(byteCount: Self.room + 64, alignment: 16) }
        defer { blocks.forEach { $0.deallocate() } }
        var tops: [UnsafeMutableRawPointer] = []
        await Self.descend(levels: 8, tops: &tops)
        let second = try #require(TaskStack.reserve(Self.room))
        #expect(first == second)
    }

    @Test func withoutARunningTaskNothingIsSetAside() async {
        let reserved = await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: TaskStack.reserve(Self.room) != nil) }.start()
        }
        #expect(!reserved)
    }

    private static let room = 64 * 1024

    /// `levels` nested async calls; `tops` gets where the task's next allocation would go at each
    /// level, from the top down.
    private static func descend(levels: Int, tops: inout [UnsafeMutableRawPointer]) async {
        guard levels > 0, let top = TaskStack.reserve(16) else { return }
        tops.append(top)
        await descend(levels: levels - 1, tops: &tops)
    }
}
