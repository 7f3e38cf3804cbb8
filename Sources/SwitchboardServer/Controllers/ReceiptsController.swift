import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import SwitchboardCore

/// `GET|POST /v1/receipts/{provider}`: delivery receipts from the provider instance of that name,
/// read and authenticated as its type's definition says (`receipt:`).
///
/// No API key: a receipt proves itself by the provider's signature or the callback URL's token.
/// Refused (403) when it does not, and nothing is recorded. A receipt for a message id we do not
/// know is answered 200 all the same: the provider would otherwise retry it for hours.
struct ReceiptsController<Context: RequestContext>: Sendable {
    let providers: [ProviderSettings]
    let catalog: ProviderCatalog
    let recorder: ReceiptRecorder
    let metrics: ReceiptMetrics?
    let clock: any SwitchboardClock
    /// Told of each status a receipt moves a message to: the app's webhook and the message's
    /// Twilio `StatusCallback`.
    let webhooks: (any MessageStatusSink)?
    let messages: any MessageStore

    /// Receipts are a few hundred bytes; anything much larger is not one.
    static var maximumBodySize: Int { 16 * 1024 }

    func addRoutes(to router: Hummingbird.Router<Context>) {
        router.get("/v1/receipts/{provider}", use: receive)
        router.post("/v1/receipts/{provider}", use: receive)
    }

    func receive(_ request: Request, context: Context) async throws -> Response {
        let name = context.parameters.get("provider") ?? ""
        guard let instance = providers.first(where: { $0.name == name }), let settings = instance.receipts,
            let definition = catalog.definitions[instance.type], let receipt = definition.receipt
        else {
            throw APIError.notFound("no provider '\(name)' takes delivery receipts; enable them with providers.\(name).receipts in the configuration")
        }
        var request = request
        let bytes: [UInt8]
        do {
            bytes = Array(try await request.collectBody(upTo: Self.maximumBodySize).readableBytesView)
        } catch is NIOTooManyBytesError {
            metrics?.received(provider: name, result: .malformed)
            throw APIError(status: .contentTooLarge, code: "body_too_large", message: "the receipt is over \(Self.maximumBodySize / 1024) KiB")
        }
        let call: ReceiptCall
        do throws(ReceiptCall.Problem) {
            call = try ReceiptCall.read(
                method: request.method.rawValue, contentType: request.headers[.contentType], rawQuery: request.uri.query, body: bytes,
                accepts: receipt.accepts
            )
        } catch {
            metrics?.received(provider: name, result: .malformed)
            throw Self.answer(for: error)
        }
        if let refusal = refusal(of: call, request: request, instance: instance, settings: settings, auth: receipt.auth) {
            metrics?.received(provider: name, result: .refused)
            context.logger.warning("receipt refused", metadata: ["sb.provider": "\(name)", "sb.reason": "\(refusal)"])
            throw APIError(status: .forbidden, code: "receipt_not_authenticated", message: refusal)
        }
        let delivered: DeliveryReceipt
        do throws(ReceiptCall.Problem) {
            delivered = try call.receipt(receipt, provider: name, at: clock.date)
        } catch {
            metrics?.received(provider: name, result: .malformed)
            throw Self.answer(for: error)
        }
        let outcome = try await recorder.record(delivered)
        var metadata: Logger.Metadata = [
            "sb.provider": "\(name)", "sb.receipt.status": "\(delivered.providerStatus)",
        ]
        switch outcome {
        case .unknownMessage:
            metrics?.received(provider: name, result: .unknownMessage)
            context.logger.info("receipt for an unknown message", metadata: metadata)
        case .recorded(let messageID, let change):
            metadata["sb.message.id"] = "\(messageID)"
            if let change {
                metadata["sb.status"] = "\(change.to.rawValue)"
                metrics?.received(provider: name, result: .moved)
                await announce(change, logger: context.logger)
            } else {
                metrics?.received(provider: name, result: .unchanged)
            }
            context.logger.info("receipt recorded", metadata: metadata)
        }
        return Response(status: .ok)
    }

    /// Tells the webhooks of `change`, with the message as now stored. Before the answer, so that
    /// a provider retries a receipt whose events could not be stored.
    private func announce(_ change: ReceiptStatusChange, logger: Logger) async {
        guard let webhooks, let status = MessageStatusChange.Status(rawValue: change.to.rawValue) else { return }
        do {
            guard let message = try await messages.message(id: change.messageID) else { return }
            await webhooks.messageStatusChanged(MessageStatusChange(message: message, status: status, at: change.at, errorCode: change.errorCode), logger: logger)
        } catch {
            logger.error("could not read a message a receipt moved; its webhook events are not sent", metadata: ["sb.message.id": "\(change.messageID)", "sb.error": "\(logDescription(of: error))"])
        }
    }

    /// Why the call is not from the provider, or `nil` when it is: the callback URL's token when
    /// the instance has one, and the definition's signature when its key is set.
    private func refusal(
        of call: ReceiptCall, request: Request, instance: ProviderSettings, settings: ReceiptSettings, auth: ProviderDefinition.ReceiptAuth
    ) -> String? {
        if let token = settings.token {
            guard let presented = call.queryValue(ReceiptSettings.tokenParameter), ConstantTime.equal(Array(presented.utf8), Array(token.utf8)) else {
                return "the callback URL's token is missing or wrong"
            }
        }
        var values = ProviderValues()
        values.add(instance.settings, prefix: "settings")
        guard let keyTemplate = auth.key, let key = try? keyTemplate.render(values, escape: { $0 }), !key.isEmpty else {
            // Configuration refuses an instance with neither a token nor a key.
            return settings.token == nil ? "receipts are not authenticated by this instance" : nil
        }
        switch auth {
        case .token:
            return nil
        case .twilioSignature:
            let url = settings.publicURL + ReceiptSettings.path(provider: instance.name) + (call.rawQuery.map { "?\($0)" } ?? "")
            let presented = request.headers[TwilioSignature.header]
            return TwilioSignature.isValid(presented, url: url, parameters: call.parameters, key: key)
                ? nil : "X-Twilio-Signature is missing or does not match the call (the URL \(url), the parameters and the auth token)"
        case .vonageSignature:
            if call.shape == .query {
                // A JWT covers the body only: the query's fields are the token's to vouch for.
                return settings.token == nil
                    ? "a signed webhook covers the body only, and this receipt's fields are in the query; give receipts.token to take GET receipts"
                    : nil
            }
            do throws(VonageSignedWebhook.Refusal) {
                try VonageSignedWebhook.verify(authorization: request.headers[.authorization], body: call.body, secret: key, now: clock.date)
                return nil
            } catch {
                return error.description
            }
        }
    }

    private static func answer(for problem: ReceiptCall.Problem) -> APIError {
        switch problem {
        case .methodNotAllowed(let message): APIError(status: .methodNotAllowed, code: "method_not_allowed", message: message)
        case .unsupportedMediaType(let message): APIError(status: .unsupportedMediaType, code: "unsupported_media_type", message: message)
        case .malformed(let message): APIError.badRequest("invalid_receipt", message)
        }
    }
}

