import Foundation
import Hummingbird
import SwitchboardCore
import SwitchboardJSON

/// `GET /admin/messages?to=&status=&provider=&since=&limit=&after=`: the message log, newest
/// first, a page at a time (`next` is the `after` of the following page).
struct AdminMessagesController<Context: RequestContext> {
    let messages: any MessageSearch

    func addRoutes(to group: RouterGroup<Context>) {
        group.get("messages", use: list)
    }

    /// A page of messages, written as `GET /v1/messages/{id}` writes one.
    struct Page: ResponseGenerator {
        var messages: [MessageAnswer]
        var next: String?

        func response(from request: Request, context: some RequestContext) throws -> Response {
            var writer = JSONWriter(capacity: 512 * max(1, messages.count))
            writer.beginObject()
            writer.key("messages")
            writer.beginArray()
            for message in messages { message.write(to: &writer) }
            writer.endArray()
            if let next { writer.member("next", next) }
            writer.endObject()
            return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: writer.bytes)))
        }
    }

    func list(_ request: Request, context: Context) async throws -> Page {
        let parameters = request.uri.queryParameters
        var query = MessageQuery(limit: 50)
        if let raw = parameters["to"].map(String.init) {
            do {
                query.to = try PhoneNumberParser.parse(raw).e164
            } catch {
                throw APIError.badRequest("invalid_number", "query parameter 'to': \"\(raw)\" is not a valid number: \(error)")
            }
        }
        if let raw = parameters["status"].map(String.init) {
            guard let status = MessageStatus(rawValue: raw) else {
                throw APIError.badRequest(
                    "invalid_parameter", "query parameter 'status' must be one of \(MessageStatus.allCases.map(\.rawValue).joined(separator: ", ")), not \"\(raw)\""
                )
            }
            query.status = status
        }
        query.provider = parameters["provider"].map(String.init)
        if let raw = parameters["since"].map(String.init) {
            guard let since = try? Date(raw, strategy: .iso8601) else {
                throw APIError.badRequest("invalid_parameter", "query parameter 'since' must be an ISO 8601 time such as 2026-12-01T00:00:00Z, not \"\(raw)\"")
            }
            query.since = since
        }
        if let raw = parameters["limit"].map(String.init) {
            guard let limit = Int(raw), (1...1000).contains(limit) else {
                throw APIError.badRequest("invalid_parameter", "query parameter 'limit' must be from 1 to 1000, not \"\(raw)\"")
            }
            query.limit = limit
        }
        query.after = parameters["after"].map(String.init)
        let records = try await messages.messages(matching: query)
        // A full page may have more after it; a short one is the last.
        return Page(messages: records.map(MessageAnswer.init), next: records.count == query.limit ? records.last?.id : nil)
    }
}
