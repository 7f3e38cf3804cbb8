import Foundation
import Logging
import Testing
import SwitchboardCore
import SwitchboardStore
import SwitchboardTestSupport

/// Failover through the one send interface, with every message's record checked.
@Suite("Failover through Gateway.send")
struct FailoverGatewayTests {
    static let yaml = """
        apps:
          demo:
            name: Demo
            message: "{otp} is your {app} code"
        providers:
          primary: { type: default }
          backup: { type: default }
        routes:
          - { name: everyone, match: { countries: [GB] }, sender: Demo, providers: [primary, backup] }
        delivery:
          deadline: 300s
          attempt_timeout: 60s
          breaker: { failures: 5, open_for: 1h }
        """

    @Test("1,000 concurrent sends while the primary starts failing half-way: every message ends accepted exactly once or failed with its attempts")
    func concurrentSendsWhilePrimaryFails() async throws {
        let config = try ConfigParser.parse(yaml: Self.yaml, file: "test.yaml", environment: [:])
        let store = MemoryStore()
        // The primary accepts its first 500 calls, then fails every call. The backup fails every
        // 10th call it gets, so some messages fail on both providers.
        let primary = ScriptedProvider("primary", rule: { call in
            call <= 500 ? .answer(.init(outcome: .accepted, providerMessageID: "primary-\(call)")) : .answer(.init(outcome: .retryable, code: "503"))
        })
        let backup = ScriptedProvider("backup", rule: { call in
            call % 10 == 0 ? .answer(.init(outcome: .retryable, code: "500")) : .answer(.init(outcome: .accepted, providerMessageID: "backup-\(call)"))
        })
        let breakers = CircuitBreakerRegistry(settings: config.delivery.breaker)
        // Alarms not run: these providers answer at once, and no cut-off may race them on a starved runner.
        let dispatcher = FailoverDispatcher(providers: [primary, backup], attemptTimeout: .seconds(5), breakers: breakers, alarms: Alarms())
        let gateway = Gateway(config: config, dispatcher: dispatcher, store: store)
        let logger = Logger(label: "test")

        let count = 1000
        let outcomes = await withTaskGroup(of: Result<SendResult, any Error>.self) { group in
            for index in 0..<count {
                group.addTask {
                    let request = SendRequest(to: "+447700900\(String(format: "%03d", index % 1000))", app: "demo", kind: .otp, content: .template(otp: "123456", minutes: nil))
                    do {
                        return .success(try await gateway.send(request, logger: logger))
                    } catch {
                        return .failure(error)
                    }
                }
            }
            var all: [Result<SendResult, any Error>] = []
            for await outcome in group { all.append(outcome) }
            return all
        }

        var acceptedIDs: Set<String> = []
        var failedIDs: Set<String> = []
        for outcome in outcomes {
            switch outcome {
            case .success(let result):
                #expect(acceptedIDs.insert(result.messageID).inserted)
            case .failure(SendError.deliveryFailed(let record)):
                #expect(record.status == .failed)
                #expect(failedIDs.insert(record.id).inserted)
            case .failure(let error):
                Issue.record("unexpected error: \(error)")
            }
        }
        #expect(acceptedIDs.count + failedIDs.count == count)
        #expect(acceptedIDs.isDisjoint(with: failedIDs))

        // The store holds every message with its final status, matching what the caller was told.
        let records = await store.recentMessages(to: nil, status: nil, limit: 2 * count)
        #expect(records.count == count)
        var providerIDs: Set<String> = []
        for record in records {
            let accepted = record.attempts.filter { $0.outcome == .accepted }
            switch record.status {
            case .accepted:
                #expect(acceptedIDs.contains(record.id))
                #expect(accepted.count == 1 && record.attempts.last?.outcome == .accepted)
                #expect(record.providerMessageID != nil && record.providerMessageID == accepted.first?.providerMessageID)
                if let id = record.providerMessageID { #expect(providerIDs.insert(id).inserted) }
            case .failed:
                #expect(failedIDs.contains(record.id))
                #expect(accepted.isEmpty && !record.attempts.isEmpty)
                #expect(record.attempts.allSatisfy { $0.outcome == .retryable || $0.outcome == .skipped })
            case .queued, .pending, .interrupted, .sent, .delivered, .undelivered:
                Issue.record("message \(record.id) was left \(record.status.rawValue)")
            }
        }

        // The providers' side of the story adds up to the store's.
        let primaryAccepted = min(primary.callCount, 500)
        let backupAccepted = backup.callCount - backup.callCount / 10
        #expect(primaryAccepted + backupAccepted == acceptedIDs.count)
        #expect(providerIDs.count == acceptedIDs.count)
        #expect(primaryAccepted == 500)
        let attemptsRecorded = records.reduce(0) { $0 + $1.attempts.filter { $0.outcome != .skipped }.count }
        #expect(attemptsRecorded == primary.callCount + backup.callCount)

        // Sends already past the breaker when the primary started failing still reach it (a
        // breaker cannot recall them); once it has opened, no send reaches the primary at all.
        #expect(breakers.states()["primary"]?.state == .open)
        let primaryCalls = primary.callCount
        for index in 0..<100 {
            let request = SendRequest(to: "+447700900123", app: "demo", kind: .otp, content: .template(otp: "\(index)", minutes: nil))
            _ = try? await gateway.send(request, logger: logger)
        }
        #expect(primary.callCount == primaryCalls)
        #expect(!failedIDs.isEmpty)
    }

    @Test("a message accepted after failover reports the accepting provider; a skipped-only failure is marked so")
    func recordShape() async throws {
        let config = try ConfigParser.parse(yaml: Self.yaml.replacingOccurrences(of: "failures: 5", with: "failures: 1"), file: "test.yaml", environment: [:])
        let store = MemoryStore()
        let primary = ScriptedProvider.answering("primary", .retryable, code: "503")
        let backup = ScriptedProvider("backup", [.answer(.init(outcome: .accepted, providerMessageID: "b-1")), .answer(.init(outcome: .retryable, code: "500"))])
        // Alarms not run: these providers answer at once, and no cut-off may race them on a starved runner.
        let dispatcher = FailoverDispatcher(providers: [primary, backup], attemptTimeout: .seconds(5), breakers: CircuitBreakerRegistry(settings: config.delivery.breaker), alarms: Alarms())
        let gateway = Gateway(config: config, dispatcher: dispatcher, store: store)
        let request = SendRequest(to: "+447700900123", app: "demo", kind: .otp, content: .template(otp: "123456", minutes: nil))

        let first = try await gateway.send(request, logger: Failover.logger)
        #expect(first.provider == "backup")
        #expect(first.attempts.map(\.outcome) == [.retryable, .accepted])

        // Both breakers are now open (backup failed once on the second send).
        do {
            _ = try await gateway.send(request, logger: Failover.logger)
            Issue.record("the second send should fail")
        } catch SendError.deliveryFailed(let record) {
            #expect(record.attempts.map(\.outcome) == [.skipped, .retryable])
            #expect(!record.everyProviderSkipped)
            #expect(record.provider == "backup")
        }
        do {
            _ = try await gateway.send(request, logger: Failover.logger)
            Issue.record("the third send should fail")
        } catch SendError.deliveryFailed(let record) {
            #expect(record.everyProviderSkipped)
            #expect(record.status == .failed)
            let stored = try #require(await store.message(id: record.id))
            #expect(stored.attempts.map(\.providerCode) == ["breaker_open", "breaker_open"])
            #expect(SendError.deliveryFailed(record).description.hasPrefix("no provider is available"))
        }
    }
}
