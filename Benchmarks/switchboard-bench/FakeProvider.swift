import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A fake SMS provider for the benchmark: it answers Twilio's `POST .../Messages.json` and Kannel's
/// generic HTTP SMSC (`GET /send?to=…&from=…&text=…`) with a fixed Twilio-shaped 201, after
/// `--delay` milliseconds (0 by default; real providers take hundreds). It keeps the last code sent
/// to each number and hands it out once at `GET /code?to=NUMBER` (200 with the code, or 404): nginx
/// cannot hand codes back; this can. `GET /count` answers how many messages it has taken, which is
/// what a gateway delivered end to end.
///
///     switchboard-bench fake-provider --port 18082 [--delay 200]
enum FakeProvider {
    static let answer = Array(
        #"{"sid":"SMbench00000000000000000000000000","status":"queued","num_segments":"1","error_code":null,"error_message":null}"#.utf8
    )

    /// The last code per number, taken by the first read.
    final class Codes: Sendable {
        private let codes = Mutex<[String: String]>([:])

        func put(_ code: String, for number: String) { codes.withLock { $0[number] = code } }
        func take(for number: String) -> String? { codes.withLock { $0.removeValue(forKey: number) } }
    }

    /// Messages taken so far.
    final class Counter: Sendable {
        private let count = Atomic<Int>(0)

        func increment() { count.add(1, ordering: .relaxed) }
        var value: Int { count.load(ordering: .relaxed) }
    }

    static func run(arguments: [String: String]) async throws {
        let port = Int(arguments["port"] ?? "") ?? 18082
        let delay = TimeAmount.milliseconds(Int64(arguments["delay"] ?? "") ?? 0)
        let codes = Codes()
        let counter = Counter()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelOption(.backlog, value: 1024)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(Handler(codes: codes, counter: counter, delay: delay))
                }
            }
            .bind(host: "127.0.0.1", port: port).get()
        print("fake provider listening on 127.0.0.1:\(port), answering after \(delay.nanoseconds / 1_000_000) ms")
        try await channel.closeFuture.get()
    }

    /// Answers one request at a time per connection (HTTP/1.1 keep-alive, no pipelining needed).
    final class Handler: ChannelInboundHandler, RemovableChannelHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart

        let codes: Codes
        let counter: Counter
        let delay: TimeAmount
        var head: HTTPRequestHead?
        var body = ByteBuffer()

        init(codes: Codes, counter: Counter, delay: TimeAmount) {
            self.codes = codes
            self.counter = counter
            self.delay = delay
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head):
                self.head = head
                body.clear()
            case .body(var chunk):
                body.writeBuffer(&chunk)
            case .end:
                guard let head else { return }
                self.head = nil
                let (status, bytes) = respond(head)
                var headers = HTTPHeaders()
                headers.add(name: "Content-Type", value: status == .created ? "application/json" : "text/plain")
                headers.add(name: "Content-Length", value: String(bytes.count))
                let response = HTTPResponseHead(version: head.version, status: status, headers: headers)
                let buffer = context.channel.allocator.buffer(bytes: bytes)
                guard status == .created, delay > .zero else {
                    write(response, buffer, context: context)
                    return
                }
                // The connection waits, as it would for a slow provider; others go on meanwhile.
                let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
                context.eventLoop.scheduleTask(in: delay) {
                    let (handler, context) = loopBound.value
                    handler.write(response, buffer, context: context)
                }
            }
        }

        private func write(_ response: HTTPResponseHead, _ body: ByteBuffer, context: ChannelHandlerContext) {
            context.write(wrapOutboundOut(.head(response)), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }

        private func respond(_ head: HTTPRequestHead) -> (HTTPResponseStatus, [UInt8]) {
            if head.method == .POST, head.uri.hasSuffix("/Messages.json") {
                let form = FakeProvider.form(String(buffer: body))
                if let to = form["To"], let text = form["Body"], let code = FakeProvider.firstCode(in: text) {
                    codes.put(code, for: to)
                }
                counter.increment()
                return (.created, answer)
            }
            if head.method == .GET, head.uri.hasPrefix("/send?") {
                counter.increment()
                return (.created, answer)
            }
            if head.method == .GET, head.uri == "/count" {
                return (.ok, Array(String(counter.value).utf8))
            }
            if head.method == .GET, head.uri.hasPrefix("/code?to=") {
                let number = String(head.uri.dropFirst("/code?to=".count)).removingPercentEncoding ?? ""
                if let code = codes.take(for: number) { return (.ok, Array(code.utf8)) }
                return (.notFound, Array("no code".utf8))
            }
            return (.notFound, Array("not found".utf8))
        }
    }

    static func form(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2 else { continue }
            let value = parts[1].replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            fields[String(parts[0])] = value
        }
        return fields
    }

    /// The first run of 4 or more digits: the code in "123456 is your Bench code".
    static func firstCode(in text: String) -> String? {
        var digits = ""
        for character in text {
            if character.isASCII, character.isNumber {
                digits.append(character)
            } else if digits.count >= 4 {
                return digits
            } else {
                digits = ""
            }
        }
        return digits.count >= 4 ? digits : nil
    }
}
