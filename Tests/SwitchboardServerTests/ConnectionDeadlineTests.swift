import SwitchboardCore
import Testing

@testable import SwitchboardServer

@Suite("Connection deadlines")
struct ConnectionDeadlineTests {
    static let start = ContinuousClock.now
    static func at(_ seconds: Double) -> ContinuousClock.Instant { start + .milliseconds(Int(seconds * 1000)) }

    static var limits: ConnectionLimits {
        var limits = ConnectionLimits()
        limits.header = .seconds(5)
        limits.body = .seconds(20)
        limits.idle = .seconds(60)
        return limits
    }

    @Test("a new connection may wait the idle limit for its first request")
    func idleAtStart() {
        let state = ConnectionDeadline(limits: Self.limits, openedAt: Self.at(0))
        #expect(state.deadline?.instant == Self.at(60))
        #expect(state.deadline?.limit == .idle)
    }

    @Test("headers must be complete within the header limit of their first byte, however slowly they drip")
    func headerFromFirstByte() {
        var state = ConnectionDeadline(limits: Self.limits, openedAt: Self.at(0))
        state.bytesArrived(at: Self.at(10))
        #expect(state.deadline?.instant == Self.at(15))
        state.bytesArrived(at: Self.at(14))
        #expect(state.deadline?.instant == Self.at(15), "more bytes of the same headers do not move the deadline")
        #expect(state.deadline?.limit == .header)
    }

    @Test("the body must be complete within the body limit of the headers' end, and answering has no limit")
    func bodyThenAnswer() {
        var state = ConnectionDeadline(limits: Self.limits, openedAt: Self.at(0))
        state.bytesArrived(at: Self.at(1))
        state.headersArrived(at: Self.at(2))
        #expect(state.deadline?.instant == Self.at(22))
        #expect(state.deadline?.limit == .body)
        state.bytesArrived(at: Self.at(21))
        #expect(state.deadline?.instant == Self.at(22), "body bytes do not extend the body limit")
        state.requestEnded()
        #expect(state.deadline == nil)
        state.responseEnded(at: Self.at(40))
        #expect(state.deadline?.instant == Self.at(100), "after the answer the idle limit starts again")
    }

    @Test("a pipelined request's bytes, arriving during an answer, start the header limit only after it")
    func pipelined() {
        var state = ConnectionDeadline(limits: Self.limits, openedAt: Self.at(0))
        state.headersArrived(at: Self.at(1))
        state.requestEnded()
        state.bytesArrived(at: Self.at(2))
        #expect(state.deadline == nil)
        state.headersArrived(at: Self.at(3))
        state.requestEnded()
        state.responseEnded(at: Self.at(4))
        #expect(state.deadline == nil, "the second request is still unanswered")
        state.responseEnded(at: Self.at(5))
        #expect(state.deadline?.instant == Self.at(65))
    }
}
