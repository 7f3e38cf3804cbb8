import Hummingbird
import SwitchboardCore

extension MessagesController {
    /// `POST /v1/messages` with `"async": true`: every check of a synchronous send, then `202` once
    /// the message is durably queued, with the message as it is logged (`status: queued`).
    func enqueue(_ sendRequest: SendRequest, context: Context) async throws -> EditedResponse<MessageAnswer> {
        guard let queue else {
            throw APIError(status: .serviceUnavailable, code: "async_unavailable", message: "this server sends no queued messages; send without 'async'")
        }
        let record: MessageRecord
        do {
            record = try gateway.queuedRecord(for: sendRequest)
        } catch let error as SendError {
            throw error.apiError(breakers: breakers)
        } catch is Gateway.QueueRefusal {
            throw APIError.badRequest(
                "invalid_field",
                "field 'async': messages with a code ('otp', or kind \"otp\") are sent synchronously, so that the answer says whether"
                    + " the code went out; remove 'async', or send a transactional message without a code"
            )
        }
        guard queue.reserve() else {
            throw APIError(
                status: .serviceUnavailable, code: "queue_full",
                message: "\(queue.maxQueued) messages are already queued for later delivery (delivery.async.max_queued);"
                    + " retry later, or send without 'async'",
                headers: [.retryAfter: "1"]
            )
        }
        do {
            try await gateway.enqueue(record, logger: context.logger)
        } catch {
            queue.cancelReservation()
            throw error
        }
        queue.added()
        var headers = HTTPFields()
        headers[.location] = "/v1/messages/\(record.id)"
        return EditedResponse(status: .accepted, headers: headers, response: MessageAnswer(record))
    }
}
