#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Bytes from the kernel's CSPRNG.
///
/// Swift's `SystemRandomNumberGenerator`, and swift-crypto's random keys built on it, ask the kernel
/// for eight bytes at a time: a refresh token took four system calls, and a login about sixteen.
/// Here the small draws that ids, codes and tokens make come from a reserve the kernel filled ahead
/// of need, one system call for several draws (a login makes six). Each byte is handed out
/// once and erased from the reserve as it goes, so the reserve holds no byte that was used. Larger
/// draws go to the kernel directly.
package enum SecureRandom {
    /// The most `getentropy` gives in one call.
    static let largestCall = 256
    /// What one system call puts in the reserve.
    static let reserveSize = largestCall
    /// Draws larger than this go to the kernel directly, rather than take the reserve's bytes.
    static let largestFromReserve = 64

    private struct Reserve {
        var bytes = [UInt8](repeating: 0, count: SecureRandom.reserveSize)
        /// Bytes handed out from the front; all of them until the first draw fills it.
        var taken = SecureRandom.reserveSize
    }

    private static let reserve = Mutex(Reserve())

    package static func bytes(_ count: Int) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            fill(UnsafeMutableRawBufferPointer(buffer))
            initialized = count
        }
    }

    /// Fills `buffer`. A kernel that cannot give random bytes leaves nothing safe to do: no token,
    /// code or id may be made without them, so this stops the process, as Swift's own generator does.
    package static func fill(_ buffer: UnsafeMutableRawBufferPointer) {
        guard !buffer.isEmpty else { return }
        guard buffer.count <= largestFromReserve else { return fromKernel(buffer) }
        reserve.withLock { reserve in
            if reserveSize - reserve.taken < buffer.count {
                reserve.bytes.withUnsafeMutableBytes { fromKernel($0) }
                reserve.taken = 0
            }
            let range = reserve.taken..<(reserve.taken + buffer.count)
            reserve.bytes.withUnsafeMutableBytes { all in
                let drawn = UnsafeMutableRawBufferPointer(rebasing: all[range])
                buffer.copyMemory(from: UnsafeRawBufferPointer(drawn))
                drawn.initializeMemory(as: UInt8.self, repeating: 0)
            }
            reserve.taken = range.upperBound
        }
    }

    /// The reserve's bytes and how many of them have been handed out, for tests.
    static var reserveState: (bytes: [UInt8], taken: Int) {
        reserve.withLock { ($0.bytes, $0.taken) }
    }

    private static func fromKernel(_ buffer: UnsafeMutableRawBufferPointer) {
        guard let start = buffer.baseAddress else { return }
        var filled = 0
        while filled < buffer.count {
            let length = min(largestCall, buffer.count - filled)
            guard getentropy(start + filled, length) == 0 else { fatalError("getentropy failed with errno \(errno)") }
            filled += length
        }
    }
}
