import Foundation
import Hummingbird
import Logging
import SwitchboardCore

/// `POST /admin/purge?dry_run=true`: what has aged out of the store, per kind, and (without
/// `dry_run`) deletes it now, in the same paced batches as the daemon's own passes.
struct AdminRetentionController<Context: RequestContext> {
    let purge: RetentionPurge

    func addRoutes(to group: RouterGroup<Context>) {
        group.post("purge", use: run)
    }

    struct Answer: ResponseEncodable {
        var dry_run: Bool
        var kinds: [Kind]
    }

    struct Kind: Encodable {
        var kind: String
        /// The window as configured (`90d`), or `forever`.
        var kept_for: String
        /// Records that ended before this are due; absent when kept forever.
        var cutoff: Date?
        /// Deleted, or in a dry run due.
        var rows: Int
    }

    func run(_ request: Request, context: Context) async throws -> Answer {
        let dryRun: Bool
        switch request.uri.queryParameters["dry_run"].map(String.init) {
        case nil, "false": dryRun = false
        case "true": dryRun = true
        case let other?:
            throw APIError.badRequest("invalid_parameter", "query parameter 'dry_run' must be true or false, not \"\(other)\"")
        }
        let tallies = try await purge.pass(dryRun: dryRun)
        if !dryRun {
            context.logger.notice(
                "purge run by an operator",
                metadata: Dictionary(uniqueKeysWithValues: tallies.map { ("sb.retention.\($0.kind.rawValue)", Logger.MetadataValue.string("\($0.rows)")) })
            )
        }
        return Answer(
            dry_run: dryRun,
            kinds: tallies.map { tally in
                Kind(kind: tally.kind.rawValue, kept_for: tally.window?.configText ?? RetentionSettings.forever, cutoff: tally.cutoff, rows: tally.rows)
            }
        )
    }
}
