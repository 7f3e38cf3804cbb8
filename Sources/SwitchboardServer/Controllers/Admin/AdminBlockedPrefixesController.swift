import Foundation
import Hummingbird
import Logging
import SwitchboardCore

/// `GET /admin/blocked-prefixes` and `DELETE /admin/blocked-prefixes/{prefix}`: the number prefixes
/// the velocity rule (`otp.velocity`) blocked, and clearing one.
struct AdminBlockedPrefixesController<Context: RequestContext> {
    let store: any PrefixVelocityStore
    /// The clock of the OTP flow, which sets the blocks.
    let clock: any SwitchboardClock

    func addRoutes(to group: RouterGroup<Context>) {
        group.get("blocked-prefixes", use: list)
        group.delete("blocked-prefixes/{prefix}", use: unblock)
    }

    struct Block: Encodable {
        var app: String
        var prefix: String
        var blocked_at: Date
        var blocked_until: Date
        /// The distinct numbers seen under the prefix within the window when it was blocked.
        var numbers: Int
    }

    struct Blocks: ResponseEncodable {
        var blocked_prefixes: [Block]
    }

    struct Unblocked: ResponseEncodable {
        var prefix: String
        /// The apps whose block of the prefix was in force and is now ended.
        var unblocked_apps: [String]
    }

    func list(_ request: Request, context: Context) async throws -> Blocks {
        let blocks = try await store.blockedPrefixes(now: clock.date)
        return Blocks(
            blocked_prefixes: blocks.map {
                Block(app: $0.app, prefix: "+\($0.prefix)", blocked_at: $0.blockedAt, blocked_until: $0.until, numbers: $0.numbers)
            }
        )
    }

    func unblock(_ request: Request, context: Context) async throws -> Unblocked {
        let written = try context.parameters.require("prefix")
        let text = written.removingPercentEncoding ?? written
        let digits = text.hasPrefix("+") ? String(text.dropFirst()) : text
        guard (1...15).contains(digits.count), digits.allSatisfy(\.isASCIIDigit) else {
            throw APIError.badRequest("invalid_prefix", "'\(text)' is not a number prefix; write its leading digits with the calling code, such as +4477009")
        }
        let apps = try await store.unblockPrefix(digits, now: clock.date)
        context.logger.notice("number prefix unblocked by an operator", metadata: ["sb.prefix": "+\(digits)", "sb.apps": "\(apps.joined(separator: ","))"])
        return Unblocked(prefix: "+\(digits)", unblocked_apps: apps)
    }
}
