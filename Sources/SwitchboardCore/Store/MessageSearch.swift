package import Foundation

/// Which messages of the log to list (`GET /admin/messages`): every condition given must hold.
package struct MessageQuery: Sendable, Hashable {
    /// The destination, E.164.
    package var to: String?
    package var status: MessageStatus?
    /// The provider that took (or last tried) the message.
    package var provider: String?
    /// Created at or after this.
    package var since: Date?
    /// Only messages after this id in the listing's order: the last id of the previous page.
    package var after: String?
    package var limit: Int

    package init(to: String? = nil, status: MessageStatus? = nil, provider: String? = nil, since: Date? = nil, after: String? = nil, limit: Int) {
        self.to = to
        self.status = status
        self.provider = provider
        self.since = since
        self.after = after
        self.limit = limit
    }
}

/// Lists the message log by several conditions, newest first by id: ids begin with their
/// creation time in milliseconds, so the order is by creation (to the millisecond), and an id is a
/// cursor that stays valid while messages are added.
package protocol MessageSearch: Sendable {
    func messages(matching query: MessageQuery) async throws -> [MessageRecord]
}
