import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Losing one daemon of several on one PostgreSQL loses no answered send and stops no other daemon.
/// In the multi-daemon suite, which runs one cluster at a time.
extension MultiDaemonTests {
    @Test("kill -9 of one of 3 daemons mid-load: the other two keep answering, and every send answered 201 is logged as accepted")
    func killingOneDaemonMidLoadLosesNoAnsweredSend() async throws {
        try await DaemonCluster.with(3) { cluster in
            let victim = 2
            let answers = try await withThrowingTaskGroup(of: (daemon: Int, answer: DaemonCluster.Answer?).self) { group in
                for index in 0..<30 { group.addTask { (index % 3, try? await Self.send(index, via: index % 3, on: cluster)) } }
                var answers: [(daemon: Int, answer: DaemonCluster.Answer?)] = []
                // Kill it once a third of the first wave has been answered, with the rest in flight.
                while answers.count < 10, let next = try await group.next() { answers.append(next) }
                cluster.daemons[victim].signal(SIGKILL)
                let ended = await cluster.daemons[victim].exitStatus(within: .seconds(20))
                try #require(ended != nil, "daemon \(victim) still runs after SIGKILL")
                for index in 30..<60 { group.addTask { (index % 3, try? await Self.send(index, via: index % 3, on: cluster)) } }
                for try await next in group { answers.append(next) }
                return answers
            }
            let answered = answers.compactMap { $0.answer.flatMap { $0.status == 201 ? $0.text("id") : nil } }
            let survivorsAnsweredAll = answers.filter { $0.daemon != victim }.allSatisfy { $0.answer?.status == 201 }
            #expect(survivorsAnsweredAll, "a surviving daemon did not answer 201: \(answers.filter { $0.daemon != victim }.map { $0.answer?.status as Any })")
            for id in answered {
                let logged = try await cluster.request(0, "GET", "/v1/messages/\(id)", bearer: "sb_local_development_key")
                #expect(logged.status == 200 && logged.text("status") == "accepted", "message \(id): \(logged.status) \(logged.body)")
            }
        }
    }

    /// A transactional send of message number `index` through daemon `daemon`.
    static func send(_ index: Int, via daemon: Int, on cluster: DaemonCluster) async throws -> DaemonCluster.Answer {
        try await cluster.request(
            daemon, "POST", "/v1/messages", json: ["to": "+447700900123", "app": "demo", "text": "load \(index)"], bearer: "sb_local_development_key"
        )
    }
}
