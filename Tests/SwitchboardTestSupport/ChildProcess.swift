import CChildSpawn
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A program the tests start as a separate process (the built `switchboard`, openssl, xmllint, a
/// reference client in Python), started with `posix_spawn` rather than Foundation's `Process`,
/// whose start reads past a buffer now and then while many tests start processes at once
/// (swiftlang/swift-corelibs-foundation#5472) and takes the whole test run down.
///
/// The child gets no descriptor of the test process but its outputs: a pipe or socket of another
/// test left open in it would keep that test's connection or pipe from ever ending.
package final class ChildProcess: Sendable {
    /// How the process ended.
    package enum Termination: Sendable, Equatable {
        case exited(Int32)
        case signalled(Int32)

        /// The exit status, or the number of the signal that ended it.
        package var status: Int32 {
            switch self {
            case .exited(let code), .signalled(let code): code
            }
        }
    }

    /// Where the process's standard output and error go.
    package enum Outputs: Sendable {
        /// Each to its own ``CollectedOutput``.
        case separate
        /// Both into ``standardOutput``, in the order written.
        case merged
        /// To `/dev/null`.
        case discarded
    }

    /// The process's id, for what the operating system tells of it (`/proc`).
    package let processIdentifier: Int32
    package let standardOutput: CollectedOutput
    package let standardError: CollectedOutput
    private let termination = Mutex<Termination?>(nil)
    private let exited = DispatchSemaphore(value: 0)

    /// Starts `executable` (a path, or a name looked up on `PATH`) with `arguments`, in `directory`
    /// when given, with this process's environment and `/dev/null` as its input.
    package init(_ executable: String, _ arguments: [String], in directory: String? = nil, outputs: Outputs = .separate) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }

        // Signals the test process ignores or blocks are the child's own business again.
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        var readEnds: [Int32] = []
        var writeEnds: [Int32] = []
        defer { for end in writeEnds { close(end) } }
        func pipeEnds() throws -> (read: Int32, write: Int32) {
            var ends: [Int32] = [0, 0]
            // Close-on-exec, so that no other child started meanwhile holds this pipe open.
            guard child_spawn_pipe_closing_on_exec(&ends) == 0 else { throw ChildProcessError(executable, "pipe2", errno) }
            readEnds.append(ends[0])
            writeEnds.append(ends[1])
            return (ends[0], ends[1])
        }
        do {
            switch outputs {
            case .separate:
                let output = try pipeEnds()
                let errors = try pipeEnds()
                posix_spawn_file_actions_adddup2(&actions, output.write, 1)
                posix_spawn_file_actions_adddup2(&actions, errors.write, 2)
            case .merged:
                let both = try pipeEnds()
                posix_spawn_file_actions_adddup2(&actions, both.write, 1)
                posix_spawn_file_actions_adddup2(&actions, both.write, 2)
            case .discarded:
                posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
                posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
            }
        } catch {
            for end in readEnds { close(end) }
            throw error
        }
        child_spawn_add_close_from(&actions, 3)
        if let directory { child_spawn_add_chdir(&actions, directory) }

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for argument in argv { free(argument) } }
        var pid = pid_t()
        var spawned: Int32
        var busyTries = 0
        // A program a test has just written (a copy of the binary) is refused as busy while
        // another test's child, between its fork and its exec, still holds the writer's descriptor.
        repeat {
            spawned = executable.contains("/")
                ? posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
                : posix_spawnp(&pid, executable, &actions, &attributes, argv, environ)
            busyTries += 1
            if spawned == ETXTBSY { usleep(10_000) }
        } while spawned == ETXTBSY && busyTries < 100
        guard spawned == 0 else {
            for end in readEnds { close(end) }
            throw ChildProcessError(executable, "posix_spawn", spawned)
        }
        processIdentifier = pid

        switch outputs {
        case .separate:
            standardOutput = CollectedOutput(reading: readEnds[0])
            standardError = CollectedOutput(reading: readEnds[1])
        case .merged:
            standardOutput = CollectedOutput(reading: readEnds[0])
            standardError = .empty
        case .discarded:
            standardOutput = .empty
            standardError = .empty
        }
        // A thread of its own blocks in waitpid, so no concurrency thread ever does.
        Thread.detachNewThread { [self] in
            // Seen ended but not reaped yet, so ``signal(_:)`` never reaches another process that
            // has been given the same number since.
            var info = siginfo_t()
            while waitid(P_PID, id_t(processIdentifier), &info, WEXITED | WNOWAIT) == -1, errno == EINTR {}
            termination.withLock { ended in
                var status: Int32 = 0
                while waitpid(processIdentifier, &status, 0) == -1, errno == EINTR {}
                ended = (status & 0x7f) == 0 ? .exited((status >> 8) & 0xff) : .signalled(status & 0x7f)
            }
            exited.signal()
        }
    }

    /// How it ended, or `nil` while it runs.
    package var ended: Termination? { termination.withLock { $0 } }

    /// How it ended, or `nil` if it still runs at the deadline.
    package func termination(within limit: Duration) async -> Termination? {
        _ = await eventually(within: limit) { self.ended != nil }
        return ended
    }

    /// How it ended, once it has; polled, so no concurrency thread blocks. The test's own time
    /// limit bounds the wait.
    package func termination() async throws -> Termination {
        while true {
            if let ended { return ended }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Whether both outputs have been read to their end by the deadline: the exit can come before
    /// the last bytes are read.
    package func outputsEnded(within limit: Duration) async -> Bool {
        await eventually(within: limit) { self.standardOutput.ended && self.standardError.ended }
    }

    /// Waits for its end, blocking the calling thread: only for a short tool run where no
    /// asynchronous context is at hand.
    package func waitUntilExit() -> Termination {
        exited.wait()
        exited.signal()
        return ended!
    }

    /// `kill(2)`, while it has not been reaped.
    package func signal(_ number: Int32) {
        termination.withLock { ended in
            if ended == nil { _ = kill(processIdentifier, number) }
        }
    }
}

/// Starting a child process failed: which program, in which call, and the system's reason.
package struct ChildProcessError: Error, CustomStringConvertible {
    package let description: String

    init(_ executable: String, _ call: String, _ code: Int32) {
        description = "could not start \(executable): \(call) failed: \(String(cString: strerror(code)))"
    }
}

/// What one of a child's outputs wrote so far, read on its own thread as it comes so that a full
/// pipe can never stall the child.
package final class CollectedOutput: Sendable {
    private let state: Mutex<(bytes: [UInt8], ended: Bool)>

    /// An output that was never collected: empty, and ended.
    static let empty = CollectedOutput()

    private init() {
        state = Mutex(([], true))
    }

    /// Reads `descriptor` to its end on a thread of its own, then closes it.
    init(reading descriptor: Int32) {
        state = Mutex(([], false))
        Thread.detachNewThread { [self] in
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                if count < 0, errno == EINTR { continue }
                if count <= 0 { break }
                state.withLock { $0.bytes.append(contentsOf: buffer[..<count]) }
            }
            close(descriptor)
            state.withLock { $0.ended = true }
        }
    }

    package var text: String { String(decoding: state.withLock { $0.bytes }, as: UTF8.self) }
    package var ended: Bool { state.withLock { $0.ended } }
}
