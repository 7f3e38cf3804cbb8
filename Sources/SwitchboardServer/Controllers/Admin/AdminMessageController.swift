import Hummingbird
import SwitchboardCore

/// `GET /admin/messages/{id}`: one message with its attempts, for operators (the console), who
/// hold an admin token rather than an API key. Answers as `GET /v1/messages/{id}` does.
struct AdminMessageController<Context: RequestContext> {
    let messages: any MessageStore

    func addRoutes(to group: RouterGroup<Context>) {
        group.get("messages/{id}", use: show)
    }

    func show(_ request: Request, context: Context) async throws -> MessageAnswer {
        let id = try context.parameters.require("id")
        guard let record = try await messages.message(id: id) else {
            throw APIError.notFound("there is no message with id '\(id)'")
        }
        return MessageAnswer(record)
    }
}
