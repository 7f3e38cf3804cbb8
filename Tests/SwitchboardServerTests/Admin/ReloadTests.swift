import Foundation
import Hummingbird
import HummingbirdTesting
import SwitchboardCore
import SwitchboardServer
import SwitchboardStore
import SwitchboardTestSupport
import Testing

/// Validate-then-swap: a reload replaces the whole configuration at once, or nothing.
@Suite("Configuration reload", .timeLimit(.minutes(3)))
struct ReloadTests {
    /// A configuration whose one route sends from `sender` through `provider`.
    static func yaml(sender: String, provider: String, extra: String = "") -> String {
        """
        server:
          api_keys: [{ name: test, key: test-api-key-1 }]
        admin:
          tokens: [\(ConfigFolder.adminToken)]
        apps:
          demo:
            name: Demo
            message: "{otp} is your {app} code"
        providers:
          alpha: { type: default }
          beta: { type: default }
        routes:
          - { name: everyone, match: { countries: [GB] }, sender: \(sender), providers: [\(provider)] }
        \(extra)
        """
    }

    static let versionA = yaml(sender: "SenderA", provider: "alpha")
    static let versionB = yaml(sender: "SenderB", provider: "beta")

    @Test("sends keep going while the configuration is swapped 20 times; each uses exactly one version from start to end")
    func reloadUnderLoad() async throws {
        let folder = try ConfigFolder(Self.versionA)
        defer { folder.remove() }
        try await folder.withApp { client, store in
            let stop = Locked(false)
            let failures = Locked<[String]>([])
            try await withThrowingTaskGroup(of: Void.self) { group in
                // A steady stream of sends, several at a time, for as long as the swaps go on.
                for _ in 0..<4 {
                    group.addTask {
                        while !stop.withLock({ $0 }) {
                            let response = try await client.sendText()
                            if response.status != .created {
                                failures.withLock { $0.append("\(response.status): \(String(buffer: response.body))") }
                            }
                        }
                    }
                }
                for swap in 1...20 {
                    let (version, sender, provider) = swap % 2 == 1 ? (Self.versionB, "SenderB", "beta") : (Self.versionA, "SenderA", "alpha")
                    try folder.write(version)
                    let reloaded = try await client.reload()
                    #expect(reloaded.status == .ok)
                    // The first send after a swap uses the new version.
                    let sent = try await client.sendText()
                    #expect(sent.status == .created)
                    let record = try jsonObject(sent.body)
                    #expect(record["sender"] as? String == sender)
                    #expect(record["provider"] as? String == provider)
                }
                stop.withLock { $0 = true }
                try await group.waitForAll()
            }
            #expect(failures.withLock { $0 } == [])
            let records = await store.recentMessages(to: nil, status: nil, limit: 100_000)
            #expect(records.count >= 20)
            for record in records {
                let pair = "\(record.sender)/\(record.provider ?? "-")"
                #expect(pair == "SenderA/alpha" || pair == "SenderB/beta", "a send mixed two versions: \(pair)")
                #expect(record.status == .accepted)
            }
        }
    }

    @Test("broken edits keep the running configuration and say FILE:LINE:COLUMN; the next valid edit applies")
    func brokenEditsKeepTheOld() async throws {
        let folder = try ConfigFolder(Self.versionA, environment: ["PRESENT": "x"])
        defer { folder.remove() }
        let path = folder.configPath
        try await folder.withApp { client, _ in
            let broken: [(yaml: String, problem: String)] = [
                // Bad YAML: the mapping's value is never closed.
                (Self.versionB.replacingOccurrences(of: "providers: [beta] }", with: "providers: [beta"), "\(path):14:"),
                // A provider of a type nobody defined.
                (Self.versionB.replacingOccurrences(of: "beta: { type: default }", with: "beta: { type: defualt }"), "\(path):11:17: provider 'beta' has unknown type \"defualt\""),
                // An environment variable that is not set.
                (Self.versionB.replacingOccurrences(of: "name: Demo", with: "name: ${MISSING_NAME}"), "\(path):7:11: environment variable MISSING_NAME is not set"),
            ]
            for (yaml, expected) in broken {
                try folder.write(yaml)
                let refused = try await client.reload()
                #expect(refused.status == .unprocessableContent)
                let error = try #require(try jsonObject(refused.body)["error"] as? [String: Any])
                #expect(error["code"] as? String == "invalid_configuration")
                let problems = try #require(error["problems"] as? [String])
                #expect(problems.count >= 1)
                #expect(problems.first?.hasPrefix(expected) == true, "\(problems)")
                // Still serving version A.
                let sent = try await client.sendText()
                #expect(sent.status == .created)
                #expect(try jsonObject(sent.body)["sender"] as? String == "SenderA")
            }
            try folder.write(Self.versionB)
            let applied = try await client.reload()
            #expect(applied.status == .ok)
            let answer = try jsonObject(applied.body)
            #expect(answer["summary"] as? String == "routes: changed everyone")
            let sent = try await client.sendText()
            #expect(try jsonObject(sent.body)["sender"] as? String == "SenderB")
        }
    }

    @Test("a changed listen address or storage is reported as needing a restart, and the rest applies")
    func needsRestart() async throws {
        let folder = try ConfigFolder(Self.versionA)
        defer { folder.remove() }
        try await folder.withApp { client, _ in
            try folder.write(Self.yaml(sender: "SenderB", provider: "beta", extra: "storage: { sqlite: ./elsewhere.sqlite }"))
            let applied = try await client.reload()
            #expect(applied.status == .ok)
            let answer = try jsonObject(applied.body)
            #expect(answer["needs_restart"] as? [String] == ["storage"])
            #expect(answer["summary"] as? String == "routes: changed everyone | needs restart: storage")
            let config = try await client.execute(uri: "/admin/config", method: .get, headers: ConfigFolder.adminAuth)
            #expect(try jsonObject(config.body)["needs_restart"] as? [String] == ["storage"])
        }
    }
}
