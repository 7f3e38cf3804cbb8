import Glibc
import NIOCore
import NIOPosix

/// Why a connection could not be opened, as an operator reads it in an attempt's note or a
/// command's error: NIO's own descriptions name its internals (`connection reset (error set)` for a
/// refused connection).
enum ConnectFailure {
    static func describe(_ error: any Error, connectingTo url: TransportURL) -> String {
        let target = url.hostAndPort
        switch error {
        case let error as IOError:
            return "cannot connect to \(target): \(String(cString: strerror(error.errnoCode)))"
        case ChannelError.connectTimeout:
            return "connecting to \(target) timed out"
        case let error as NIOConnectionError:
            // Every address the name resolved to failed: the first says why as well as any.
            if let first = error.connectionErrors.first { return describe(first.error, connectingTo: url) }
            return "cannot resolve \(url.host): \(error.dnsAError.map { "\($0)" } ?? error.dnsAAAAError.map { "\($0)" } ?? "no address")"
        default:
            return "cannot connect to \(target): \(error)"
        }
    }
}
