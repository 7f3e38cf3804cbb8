import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A fast fake SMS provider for the login benchmark: it answers Twilio's `POST .../Messages.json`
/// with a fixed 201, keeps the last code sent to each number, and hands it out once at
/// `GET /code?to=NUMBER` (200 with the code, or 404). nginx cannot hand codes back; this can.
///
///     switchboard-bench fake-provider --port 18082
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

    static func run(arguments: [String: String]) async throws {
        let port = Int(arguments["port"] ?? "") ?? 18082
        let codes = Codes()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelOption(.backlog, value: 1024)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(Handler(codes: codes))
                }
            }
            .bind(host: "127.0.0.1", port: port).get()
        print("fake provider listening on 127.0.0.1:\(port)")
        try await channel.closeFuture.get()
    }

    /// Answers one request at a time per connection (HTTP/1.1 keep-alive, no pipelining needed).
    final class Handler: ChannelInboundHandler, RemovableChannelHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart

        let codes: Codes
        var head: HTTPRequestHead?
        var body = ByteBuffer()

        init(codes: Codes) { self.codes = codes }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head):
                self.head = head
                body.clear()
            case .body(var chunk):
                body.writeBuffer(&chunk)
            case .end:
                guard let head else { return }
                let (status, bytes) = respond(head)
                var headers = HTTPHeaders()
                headers.add(name: "Content-Type", value: status == .created ? "application/json" : "text/plain")
                headers.add(name: "Content-Length", value: String(bytes.count))
                context.write(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: status, headers: headers))), promise: nil)
                context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: bytes)))), promise: nil)
                context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
                self.head = nil
            }
        }

        private func respond(_ head: HTTPRequestHead) -> (HTTPResponseStatus, [UInt8]) {
            if head.method == .POST, head.uri.hasSuffix("/Messages.json") {
                let form = FakeProvider.form(String(buffer: body))
                if let to = form["To"], let text = form["Body"], let code = FakeProvider.firstCode(in: text) {
                    codes.put(code, for: to)
                }
                return (.created, answer)
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
