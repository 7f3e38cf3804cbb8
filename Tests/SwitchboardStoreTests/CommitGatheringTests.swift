import SwitchboardStore
import Testing

/// When a small batch waits for more writes: only while the writer is busy, and not once it has enough.
@Suite("Commit gathering")
struct CommitGatheringTests {
    private let gathering = CommitGathering(target: 8, window: .microseconds(300), busyWithin: .milliseconds(1))

    @Test func aSmallBatchWaitsTheWindowWhileTheWriterIsBusy() {
        #expect(gathering.wait(queued: 1, sinceLastCommit: .microseconds(200)) == .microseconds(300))
        #expect(gathering.wait(queued: 7, sinceLastCommit: .zero) == .microseconds(300))
        #expect(gathering.wait(queued: 1, sinceLastCommit: .milliseconds(1)) == .microseconds(300), "the bound itself is still busy")
    }

    @Test func aBatchWithEnoughJobsStartsAtOnce() {
        #expect(gathering.wait(queued: 8, sinceLastCommit: .zero) == nil)
        #expect(gathering.wait(queued: 500, sinceLastCommit: .zero) == nil)
    }

    @Test func anIdleWriterStartsAtOnce() {
        #expect(gathering.wait(queued: 1, sinceLastCommit: nil) == nil, "before its first commit")
        #expect(gathering.wait(queued: 1, sinceLastCommit: .microseconds(1_001)) == nil)
        #expect(gathering.wait(queued: 1, sinceLastCommit: .seconds(60)) == nil)
    }

    @Test func offNeverWaits() {
        #expect(CommitGathering.off.wait(queued: 0, sinceLastCommit: .zero) == nil)
        #expect(CommitGathering.off.wait(queued: 1, sinceLastCommit: .zero) == nil)
    }
}
