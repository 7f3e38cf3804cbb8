import Foundation
import Hummingbird
import SwitchboardCore

/// `GET /v1/inbox?to=&after=&limit=`: what the built-in default provider kept, oldest first.
struct InboxController<Context: RequestContext> {
    let inbox: any InboxStore

    func addRoutes(to group: RouterGroup<Context>) {
        group.get(use: list)
    }

    struct Page: ResponseEncodable {
        var messages: [Entry]
        /// Pass as `after` to get only newer messages.
        var next: Int64?
    }

    struct Entry: Encodable {
        var sequence: Int64
        var id: String
        var messageID: String
        var to: String
        var from: String
        var text: String
        var encoding: String
        var segments: Int
        var receivedAt: Date

        init(_ message: InboxMessage) {
            sequence = message.sequence
            id = message.id
            messageID = message.messageID
            to = message.to
            from = message.from
            text = message.text
            encoding = message.encoding.rawValue
            segments = message.segments
            receivedAt = message.receivedAt
        }

        enum CodingKeys: String, CodingKey {
            case sequence, id, to, from, text, encoding, segments
            case messageID = "message_id"
            case receivedAt = "received_at"
        }
    }

    func list(_ request: Request, context: Context) async throws -> Page {
        let query = request.uri.queryParameters
        var to: String?
        if let raw = query["to"].map(String.init) {
            do {
                to = try PhoneNumberParser.parse(raw).e164
            } catch {
                throw APIError.badRequest("invalid_number", "query parameter 'to': \"\(raw)\" is not a valid number: \(error)")
            }
        }
        let after = try query["after"].map { text in
            guard let value = Int64(text), value >= 0 else {
                throw APIError.badRequest("invalid_parameter", "query parameter 'after' must be a sequence number (0 or more), not \"\(text)\"")
            }
            return value
        }
        let limit = try query["limit"].map { text in
            guard let value = Int(text), (1...1000).contains(value) else {
                throw APIError.badRequest("invalid_parameter", "query parameter 'limit' must be from 1 to 1000, not \"\(text)\"")
            }
            return value
        } ?? 100
        let messages = try await inbox.inbox(to: to, after: after, limit: limit)
        return Page(messages: messages.map(Entry.init), next: messages.last?.sequence ?? after)
    }
}
