import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import SwitchboardProviders

/// POSTs one body at a fixed rate, evenly spaced, for a fixed time: request `n` is due at
/// `start + n / rate`, whether or not earlier ones were answered (an open loop, as independent
/// clients send). A due request goes out on an idle keep-alive connection, or waits for the first
/// one to come free; its latency runs from the moment it was due, so that wait counts too. Each
/// connection first carries one request that is not counted, so that the schedule starts once the
/// server has taken every connection on, not while it still sets them up. Prints one JSON object.
///
/// A closed loop of workers each pacing itself (hey's `-q`) starts every worker's timer at the
/// same moment, so its requests arrive in bursts, one per worker at once: the latency it reports is
/// how long the last of a burst waits, not the latency at the offered rate. This generator runs on
/// one event loop thread with the request built once, so that it takes as little of the
/// machine's CPU as it can from the daemon it measures. `--url` may list several daemons
/// (comma-separated, the same path on each): the connections are shared out among them in turn,
/// and a due request takes whichever connection is idle, as a least-busy balancer would.
///
///     switchboard-bench paced --url http://127.0.0.1:18080/v1/messages --rate 5000 --duration 10 \
///         --body '{"to":"+14155550123","app":"bench","text":"Your parcel arrives today"}' \
///         --authorization 'Bearer bench-api-key-0123456789' [--connections 256]
enum PacedLoad {
    struct Failure: Error, CustomStringConvertible { var description: String }

    static func run(arguments: [String: String]) async throws {
        guard let url = arguments["url"], let body = arguments["body"] else { throw Failure(description: "--url and --body are required") }
        guard let rate = Int(arguments["rate"] ?? ""), rate > 0 else {
            throw Failure(description: "--rate must be a positive whole number of requests a second")
        }
        guard let duration = Double(arguments["duration"] ?? "10"), duration > 0 else { throw Failure(description: "--duration must be positive seconds") }
        guard let connections = Int(arguments["connections"] ?? "256"), connections > 0 else {
            throw Failure(description: "--connections must be a positive whole number")
        }
        let targets = try url.split(separator: ",").map { try TransportURL.plainHTTP(String($0), option: "--url") }
        guard let target = targets.first else { throw Failure(description: "--url names no URL") }
        guard targets.allSatisfy({ $0.target == target.target }) else {
            throw Failure(description: "--url: every URL must have the same path, as one request is built for all: \(url)")
        }
        let request = LoadRequest(.POST, to: target, contentType: "application/json", authorization: arguments["authorization"], body: body)

        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let outcome = try await loop.flatSubmit {
            let driver = PacedDriver(loop: loop, request: request, rate: rate, total: Int(Double(rate) * duration))
            return driver.run(targets: targets, connections: connections)
        }.get()
        let data = try JSONSerialization.data(withJSONObject: outcome.summary, options: [.sortedKeys])
        print(String(decoding: data, as: UTF8.self))
    }

    /// What the requests came to.
    struct Outcome: Sendable {
        var latenciesMs: [Double] = []
        var statuses: [Int: Int] = [:]
        var failures: [String: Int] = [:]
        var elapsed: TimeAmount = .zero
        var lateStarts = 0
        var asked = 0

        var summary: [String: Any] {
            let sorted = latenciesMs.sorted()
            let seconds = Double(elapsed.nanoseconds) / 1e9
            return [
                "asked": asked,
                "answered": sorted.count,
                "requests_per_s": Double(sorted.count) / seconds,
                "elapsed_s": seconds,
                "p50_ms": sorted.percentile(0.5) as Any,
                "p99_ms": sorted.percentile(0.99) as Any,
                "max_ms": sorted.last as Any,
                "statuses": Dictionary(uniqueKeysWithValues: statuses.map { (String($0.key), $0.value) }),
                "failures": failures,
                "late_starts": lateStarts,
            ]
        }
    }
}

/// The schedule, the connections and the tally, all on one event loop.
private final class PacedDriver {
    let loop: any EventLoop
    /// The one request the generator sends, its head and body built once.
    let request: LoadRequest
    let rate: Int
    let total: Int
    var start = NIODeadline.now()
    var next = 0
    var outstanding = 0
    var idle: [any Channel] = []
    var open = 0
    /// Connections whose uncounted first request is still out.
    var warming = 0
    var finished = false
    /// Due times of requests waiting for a connection, oldest first from `waitingHead`.
    var waiting: [NIODeadline] = []
    var waitingHead = 0
    var outcome = PacedLoad.Outcome()
    let done: EventLoopPromise<PacedLoad.Outcome>

    init(loop: any EventLoop, request: LoadRequest, rate: Int, total: Int) {
        self.loop = loop
        self.request = request
        self.rate = rate
        self.total = total
        done = loop.makePromise()
        outcome.asked = total
        outcome.latenciesMs.reserveCapacity(total)
    }

    func run(targets: [TransportURL], connections: Int) -> EventLoopFuture<PacedLoad.Outcome> {
        let bound = NIOLoopBound(self, eventLoop: loop)
        let opened = (0..<connections).map { index in
            let target = targets[index % targets.count]
            return ClientBootstrap(group: loop)
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHTTPClientHandlers()
                        try channel.pipeline.syncOperations.addHandler(PacedResponseHandler(driver: bound.value))
                    }
                }
                .connect(host: target.host, port: target.port)
        }
        EventLoopFuture.whenAllSucceed(opened, on: loop).assumeIsolated().whenComplete { result in
            switch result {
            case .success(let channels):
                self.open = channels.count
                self.warming = channels.count
                for channel in channels { self.send(.warmUp, on: channel) }
            case .failure(let error):
                self.done.fail(error)
            }
        }
        return done.futureResult
    }

    /// Computed from the start each time, so that a rate that does not divide a second drifts nowhere.
    func due(_ index: Int) -> NIODeadline { start + .nanoseconds(Int64(index) * 1_000_000_000 / Int64(rate)) }

    /// Every connection has carried its first request: the schedule starts.
    func startSchedule() {
        // The first request is due a moment from now, so the schedule does not start behind.
        start = .now() + .milliseconds(20)
        tick()
    }

    /// Sends every request now due, then sleeps until the next one is.
    func tick() {
        let now = NIODeadline.now()
        while next < total, due(next) <= now {
            if now - due(next) > .milliseconds(1) { outcome.lateStarts += 1 }
            dispatch(due(next))
            next += 1
        }
        if next < total {
            loop.assumeIsolated().scheduleTask(deadline: due(next)) { self.tick() }
        } else {
            finishIfDone()
        }
    }

    func dispatch(_ due: NIODeadline) {
        outstanding += 1
        if let channel = idle.popLast() {
            send(.scheduled(due), on: channel)
        } else {
            waiting.append(due)
        }
    }

    func send(_ sent: PacedSend, on channel: any Channel) {
        (try? channel.pipeline.syncOperations.handler(type: PacedResponseHandler.self))?.sent = sent
        request.write(on: channel)
    }

    func answered(_ status: Int, to sent: PacedSend, on channel: any Channel) {
        guard case .scheduled(let due) = sent else {
            idle.append(channel)
            warming -= 1
            if warming == 0 { startSchedule() }
            return
        }
        outcome.latenciesMs.append(Double((NIODeadline.now() - due).nanoseconds) / 1e6)
        outcome.statuses[status, default: 0] += 1
        outstanding -= 1
        if waitingHead < waiting.count {
            send(.scheduled(waiting[waitingHead]), on: channel)
            waitingHead += 1
        } else {
            idle.append(channel)
        }
        finishIfDone()
    }

    /// A connection closed before the end. The request it carried, if any, is counted as failed;
    /// when none is left, so are those still waiting, and the run ends.
    func closed(carrying sent: PacedSend?) {
        open -= 1
        idle.removeAll { !$0.isActive }
        switch sent {
        case .scheduled:
            outcome.failures["connection closed with a request in flight", default: 0] += 1
            outstanding -= 1
        case .warmUp:
            outcome.failures["connection closed before its first answer", default: 0] += 1
            warming -= 1
            if warming == 0, open > 0 { startSchedule() }
        case nil:
            break
        }
        if open == 0, !finished {
            let stranded = waiting.count - waitingHead
            outcome.failures["no connection left", default: 0] += stranded + (total - next)
            outstanding -= stranded
            waitingHead = waiting.count
            next = total
        }
        finishIfDone()
    }

    func finishIfDone() {
        guard next == total, outstanding == 0, !finished else { return }
        finished = true
        outcome.elapsed = .now() - start
        for channel in idle { channel.close(promise: nil) }
        idle = []
        done.succeed(outcome)
    }
}

/// What a connection carries: its uncounted first request, or one of the schedule's.
private enum PacedSend {
    case warmUp
    case scheduled(NIODeadline)
}

/// One connection's answers: the status of each, handed to the driver at its end.
private final class PacedResponseHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart

    let driver: PacedDriver
    var sent: PacedSend?
    var status = 0

    init(driver: PacedDriver) {
        self.driver = driver
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            status = Int(head.status.code)
        case .body:
            break
        case .end:
            guard let sent else { return }
            self.sent = nil
            driver.answered(status, to: sent, on: context.channel)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        let carried = sent
        sent = nil
        driver.closed(carrying: carried)
    }
}
