#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Bytes from the kernel's CSPRNG, up to 256 of them in one system call (`getentropy`).
///
/// Swift's `SystemRandomNumberGenerator`, and swift-crypto's random keys built on it, ask the kernel
/// for eight bytes at a time: a refresh token took four system calls, and a login about sixteen.
package enum SecureRandom {
    /// The most `getentropy` gives in one call.
    static let chunk = 256

    package static func bytes(_ count: Int) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            fill(UnsafeMutableRawBufferPointer(buffer))
            initialized = count
        }
    }

    /// Fills `buffer`. A kernel that cannot give random bytes leaves nothing safe to do: no token,
    /// code or id may be made without them, so this stops the process, as Swift's own generator does.
    package static func fill(_ buffer: UnsafeMutableRawBufferPointer) {
        guard let start = buffer.baseAddress else { return }
        var filled = 0
        while filled < buffer.count {
            let length = min(chunk, buffer.count - filled)
            guard getentropy(start + filled, length) == 0 else { fatalError("getentropy failed with errno \(errno)") }
            filled += length
        }
    }
}
