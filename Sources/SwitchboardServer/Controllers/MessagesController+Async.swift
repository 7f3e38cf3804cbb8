import Hummingbird
import SwitchboardCore

extension MessagesController {
    /// `POST /v1/messages` with `"async": true`: every check of a synchronous send, then `202` once
    /// the message is durably queued, with the message as it is logged (`status: queued`).
    @inline(never)
    func enqueue(_ sendRequest: SendRequest, request: Request, context: Context) async throws -> Response {
        let record = try queuedRecord(for: sendRequest)
        do {
            try await gateway.enqueue(record, logger: context.logger)
        } catch {
            queue?.cancelReservation()
            throw error
        }
        queue?.added()
        return try Self.answer(record, status: .accepted, request: request, context: context)
    }

    /// The record to queue, with a place reserved for it in the queue; made in a synchronous call,
    /// so that what only the checks need stays out of the frame that waits for the store.
    @inline(never)
    private func queuedRecord(for sendRequest: SendRequest) throws -> MessageRecord {
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
        return record
    }
}
