import ArgumentParser
import Foundation

/// `switchboard purge [--dry-run]`: asks the running daemon to delete, now, what has aged out of
/// its store (README, "Retention"), or only to count it; prints one line per kind.
struct Purge: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Delete now what is older than the retention windows (the running daemon does it, in paced batches); --dry-run only counts."
    )

    @OptionGroup var admin: AdminOptions

    @Flag(help: "Only say how many records of each kind would be deleted.")
    var dryRun = false

    func run() async throws {
        do {
            let client = try AdminClient(admin)
            // A long backlog is deleted in paced batches: the answer may take minutes.
            let (status, body) = try await client.call(
                .post, "/admin/purge" + (dryRun ? "?dry_run=true" : ""), timeout: .seconds(3_600)
            )
            guard status == 200 else {
                printError(AdminClient.describeError(status: status, body: body))
                throw ExitCode.failure
            }
            guard let lines = Self.describe(body) else {
                printError("the daemon's answer is not the expected JSON: \(body)")
                throw ExitCode.failure
            }
            for line in lines { print(line) }
        } catch let failure as CommandFailure {
            printError(failure.description)
            throw ExitCode.failure
        }
    }

    /// One line per kind: `messages: 12 deleted (kept 90d: created before 2026-09-04T10:00:00Z)`.
    static func describe(_ body: String) -> [String]? {
        guard let data = body.data(using: .utf8), let answer = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let dryRun = answer["dry_run"] as? Bool, let kinds = answer["kinds"] as? [[String: Any]]
        else { return nil }
        return kinds.compactMap { kind in
            guard let name = kind["kind"] as? String, let keptFor = kind["kept_for"] as? String, let rows = kind["rows"] as? Int else { return nil }
            guard let cutoff = kind["cutoff"] as? String else { return "\(name): kept forever" }
            return "\(name): \(rows) \(dryRun ? "would be deleted" : "deleted") (kept \(keptFor): ended before \(cutoff))"
        }
    }
}
