#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Calls `body` with `http://127.0.0.1:PORT`, a loopback address that refuses every connection at
/// once (ECONNREFUSED) for as long as `body` runs.
///
/// The port is bound but never listened on: bound, so the system cannot hand it to another socket
/// meanwhile, as it may a port that was found free and released; not listening, so a connect is
/// answered with a reset instead of being accepted or left to time out.
package func withRefusingAddress<T>(_ body: (String) async throws -> T) async throws -> T {
    #if os(Linux)
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    #else
    let descriptor = socket(AF_INET, SOCK_STREAM, 0)
    #endif
    guard descriptor >= 0 else { throw RefusingPortError(call: "socket", errno: errno) }
    defer { close(descriptor) }

    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
    }
    guard bound == 0 else { throw RefusingPortError(call: "bind", errno: errno) }
    let named = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
    }
    guard named == 0 else { throw RefusingPortError(call: "getsockname", errno: errno) }
    return try await body("http://127.0.0.1:\(UInt16(bigEndian: address.sin_port))")
}

/// A system call failed while reserving the port.
package struct RefusingPortError: Error {
    package let call: String
    package let errno: Int32
}
