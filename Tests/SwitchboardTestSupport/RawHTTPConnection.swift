import Foundation
import NIOCore
import NIOPosix

/// One plain TCP connection to a loopback server, for tests that need to see what a real HTTP
/// client sees on the wire: `Connection` fields, the server closing the socket, slow or broken
/// requests. Requests are written as raw text; answers are read as they come.
package final class RawHTTPConnection {
    /// One answer as read off the wire.
    package struct Response: Sendable {
        package var status: Int
        /// Header fields in order, names as sent.
        package var headers: [(String, String)]
        package var body: String

        package func header(_ name: String) -> String? {
            headers.first { $0.0.lowercased() == name.lowercased() }?.1
        }
    }

    /// The server closed the connection before a whole response came.
    package struct Closed: Error { package init() {} }
    /// Nothing (or not enough) came within the time given.
    package struct TimedOut: Error { package init() {} }

    private let channel: any Channel
    private var inbound: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    private let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    private var buffered: [UInt8] = []
    /// Set when a wait's time ran out and this side closed the channel to end the wait.
    private let timedOut = Locked(false)

    private init(channel: any Channel, inbound: NIOAsyncChannelInboundStream<ByteBuffer>, outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>) {
        self.channel = channel
        self.inbound = inbound.makeAsyncIterator()
        self.outbound = outbound
    }

    /// Connects to `127.0.0.1:port`, runs `body` with the connection, then closes it.
    /// - Parameter connectTimeout: How long the TCP handshake may take; a handshake the server's
    ///   kernel dropped is retried only after a second.
    package static func with<T>(
        port: Int, connectTimeout: Duration = .seconds(10), _ body: (RawHTTPConnection) async throws -> T
    ) async throws -> T {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(TimeAmount(connectTimeout))
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(
                        wrappingChannelSynchronously: channel, configuration: .init(isOutboundHalfClosureEnabled: true)
                    )
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            try await body(RawHTTPConnection(channel: channel.channel, inbound: inbound, outbound: outbound))
        }
    }

    package func send(_ text: String) async throws {
        try await outbound.write(ByteBuffer(string: text))
    }

    /// Reads one whole response (its body framed by `Content-Length`).
    /// - Throws: ``Closed`` if the server closes before it is complete; ``TimedOut`` after `limit`.
    package func readResponse(within limit: Duration = .seconds(60)) async throws -> Response {
        try await withDeadline(limit) {
            while true {
                if let response = try parseResponse() { return response }
                guard try await readMore() else { throw Closed() }
            }
        }
    }

    /// Waits for the server to close the connection, discarding anything it sends first.
    /// - Returns: How long that took.
    /// - Throws: ``TimedOut`` if the connection is still open after `limit`.
    @discardableResult
    package func waitForClose(within limit: Duration) async throws -> Duration {
        let start = ContinuousClock.now
        try await withDeadline(limit) {
            while try await readMore() { buffered.removeAll() }
        }
        return ContinuousClock.now - start
    }

    /// Runs `work`; if `limit` passes first, the channel is closed, which ends any read in progress,
    /// and ``TimedOut`` is thrown.
    private func withDeadline<T>(_ limit: Duration, _ work: () async throws -> T) async throws -> T {
        let timedOut = self.timedOut
        let channel = self.channel
        let timer = channel.eventLoop.scheduleTask(in: TimeAmount(limit)) {
            timedOut.withLock { $0 = true }
            channel.close(promise: nil)
        }
        defer { timer.cancel() }
        do {
            let result = try await work()
            if timedOut.withLock({ $0 }) { throw TimedOut() }
            return result
        } catch {
            if timedOut.withLock({ $0 }) { throw TimedOut() }
            throw error
        }
    }

    /// Reads what the server sent next; `false` once it has closed (or reset) the connection.
    private func readMore() async throws -> Bool {
        do {
            guard let buffer = try await inbound.next() else { return false }
            buffered += Array(buffer.readableBytesView)
            return true
        } catch let error as IOError where error.errnoCode == ECONNRESET {
            return false
        } catch is ChannelError {
            return false
        }
    }

    private func parseResponse() throws -> Response? {
        guard let end = buffered.firstRange(of: Array("\r\n\r\n".utf8)) else { return nil }
        var lines = String(decoding: buffered[..<end.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst().split(separator: " ")
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else { throw Closed() }
        let headers = lines.map { line -> (String, String) in
            let parts = line.split(separator: ":", maxSplits: 1)
            return (String(parts[0]), parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : "")
        }
        let length = headers.first { $0.0.lowercased() == "content-length" }.flatMap { Int($0.1) } ?? 0
        guard buffered.count - end.upperBound >= length else { return nil }
        let body = String(decoding: buffered[end.upperBound..<(end.upperBound + length)], as: UTF8.self)
        buffered.removeFirst(end.upperBound + length)
        return Response(status: status, headers: headers, body: body)
    }
}
