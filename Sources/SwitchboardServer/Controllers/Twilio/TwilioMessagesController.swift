import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import SwitchboardCore

/// Twilio's Messages API (`/2010-04-01/Accounts/{AccountSid}/Messages.json` and `…/Messages/{Sid}.json`),
/// so an app written with a Twilio SDK sends through Switchboard with only its base URL changed.
///
/// Each app with `twilio_api` is one account: HTTP Basic with its account SID and auth token. A
/// message goes through the one send interface as a transactional message of that app: the route
/// picks the provider and, unless the app allows `From`, the sender. The answer is Twilio's
/// Message resource; errors are Twilio's `{code, message, more_info, status}`.
struct TwilioMessagesController<Context: RemoteAddressRequestContext>: Sendable {
    let gateway: Gateway
    let messages: any MessageStore
    let throttle: CredentialThrottle
    /// Where a message's `StatusCallback` events go; `nil` refuses `StatusCallback` (no outbox).
    let webhooks: WebhookEvents?

    func addRoutes(to router: Hummingbird.Router<Context>) {
        router.post("/2010-04-01/Accounts/{AccountSid}/Messages.json", use: create)
        router.get("/2010-04-01/Accounts/{AccountSid}/Messages/{Sid}.json", use: fetch)
    }

    /// A create call checked and read: the account, the send request, and what the answer and the
    /// status callback need.
    private struct AcceptedCreate: Sendable {
        var account: TwilioAPISettings
        var sendRequest: SendRequest
        var statusCallback: String?
        var messagingServiceSID: String?
    }

    func create(_ request: Request, context: Context) async throws -> Response {
        let accepted = try await accept(request, context: context)
        let to = accepted.sendRequest.to
        let record: MessageRecord
        do {
            record = try await gateway.send(accepted.sendRequest, logger: context.logger).record
        } catch let error as SendError {
            if case .deliveryFailed(let failed) = error, !failed.everyProviderSkipped {
                // As Twilio: the message exists and failed; delivery errors are not request errors.
                record = failed
            } else {
                throw Self.error(for: error, to: to)
            }
        } catch let unavailable as StoreUnavailable {
            throw TwilioError.storeUnavailable(unavailable)
        }
        if let callback = accepted.statusCallback, let webhooks {
            await Self.startStatusCallback(of: record, to: callback, account: accepted.account, webhooks: webhooks, logger: context.logger)
        }
        return try TwilioMessageResource(record: record, accountSID: accepted.account.accountSID, messagingServiceSID: accepted.messagingServiceSID)
            .response(status: .created)
    }

    /// Authenticates a create call and reads and checks its form. Never inlined: an async
    /// function's frame holds all that any part of it keeps across a suspension, for as long as it
    /// runs, and what these checks need would otherwise stay in the frame of every create call while
    /// its provider answers.
    @inline(never)
    private func accept(_ request: Request, context: Context) async throws -> AcceptedCreate {
        let (app, account) = try authenticate(request, context: context)
        let mediaType = request.headers[.contentType]?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased()
        guard mediaType == "application/x-www-form-urlencoded" else {
            throw TwilioError(status: .unsupportedMediaType, code: 20422, message: "Send the parameters as application/x-www-form-urlencoded, as Twilio's API takes them")
        }
        var request = request
        let text: String
        do {
            text = String(buffer: try await request.collectBody(upTo: JSONRequestBody.maximumSize))
        } catch is NIOTooManyBytesError {
            throw TwilioError(status: .contentTooLarge, code: 20422, message: "The request body is over \(JSONRequestBody.maximumSize / 1024) KiB")
        }
        let form: TwilioCreateMessageForm
        do {
            form = try TwilioCreateMessageForm(text)
        } catch {
            throw Self.error(for: error)
        }
        guard let to = form.to, !to.isEmpty else { throw TwilioError(status: .badRequest, code: 21604, message: "A 'To' phone number is required.") }
        guard let body = form.body, !body.isEmpty else { throw TwilioError(status: .badRequest, code: 21602, message: "Message body is required.") }
        guard form.from?.isEmpty == false || form.messagingServiceSID?.isEmpty == false else {
            throw TwilioError(status: .badRequest, code: 21603, message: "A 'From' phone number is required.")
        }
        if let callback = form.statusCallback {
            guard webhooks != nil else {
                throw TwilioError(status: .badRequest, code: 20422, message: "Invalid Parameter: StatusCallback is not supported by this server; send without it")
            }
            if let problem = CallbackURL.check(callback, httpsUnlessLoopback: false, allowPrivate: account.allowPrivateCallbacks)
                ?? (Self.hostHasUnderscore(callback) ? .malformed : nil)
            {
                throw TwilioError(status: .badRequest, code: 21609, message: "Invalid StatusCallback url: \(callback) \(problem)")
            }
        }
        var sender: SenderID?
        if account.allowFrom, let from = form.from, !from.isEmpty {
            do {
                sender = try SenderID(parsing: from)
            } catch {
                throw TwilioError(status: .badRequest, code: 21212, message: "Invalid 'From' Phone Number: \(from) (\(error))")
            }
        }
        let sendRequest = SendRequest(to: to, app: app.id, kind: .transactional, content: .text(body), sender: sender)
        return AcceptedCreate(
            account: account, sendRequest: sendRequest, statusCallback: form.statusCallback, messagingServiceSID: form.messagingServiceSID
        )
    }

    /// Stores the message's first status callback event. Never inlined, for the reason `accept` is
    /// not, since only calls with a `StatusCallback` need what it needs.
    @inline(never)
    private static func startStatusCallback(
        of record: MessageRecord, to callback: String, account: TwilioAPISettings, webhooks: WebhookEvents, logger: Logger
    ) async {
        do {
            try await webhooks.statusCallbackStarted(record, url: callback, account: account, logger: logger)
        } catch {
            // The message is sent: an error answer would have the caller send it again.
            logger.logOutsideFrame(
                .error, "could not store a message's status callback; it gets none",
                metadata: ["sb.message.id": "\(record.id)", "sb.error": "\(logDescription(of: error))"]
            )
        }
    }

    func fetch(_ request: Request, context: Context) async throws -> Response {
        let (app, account) = try authenticate(request, context: context)
        guard let id = TwilioMessageSID.messageID(forSID: context.parameters.get("Sid") ?? "") else {
            throw TwilioError.notFound(request.uri.path)
        }
        let stored: MessageRecord?
        do {
            stored = try await messages.message(id: id)
        } catch let unavailable as StoreUnavailable {
            throw TwilioError.storeUnavailable(unavailable)
        }
        guard let record = stored, record.app == app.id else {
            throw TwilioError.notFound(request.uri.path)
        }
        return try TwilioMessageResource(record: record, accountSID: account.accountSID, messagingServiceSID: nil).response(status: .ok)
    }

    /// The app whose account SID is in the path and whose credentials are in `Authorization`.
    private func authenticate(_ request: Request, context: Context) throws -> (AppSettings, TwilioAPISettings) {
        let sources = context.throttleSources
        if let wait = throttle.retryAfter(sources) {
            var error = TwilioError(status: .tooManyRequests, code: 20429, message: "Too many failed authentications from this address; retry after \(wait.retryAfterSeconds) seconds")
            error.headers[.retryAfter] = String(wait.retryAfterSeconds)
            throw error
        }
        let accountSID = context.parameters.get("AccountSid") ?? ""
        guard let credentials = request.basicCredentials else { throw TwilioError.authenticate() }
        let app = gateway.config.apps.first { $0.twilioAPI?.accountSID == accountSID }
        // Both compared in full, whether or not the account exists, so timing tells nothing.
        let expected = app?.twilioAPI ?? TwilioAPISettings(accountSID: accountSID, authToken: "")
        let userMatches = ConstantTime.equal(Array(credentials.user.utf8), Array(accountSID.utf8))
        let tokenMatches = ConstantTime.equal(Array(credentials.password.utf8), Array(expected.authToken.utf8))
        guard let app, let account = app.twilioAPI, userMatches, tokenMatches, !account.authToken.isEmpty else {
            throttle.recordFailure(sources, logger: context.logger)
            context.logger.info("Twilio API authentication failed", metadata: ["sb.account": "\(accountSID.prefix(34))"])
            throw TwilioError.authenticate()
        }
        return (app, account)
    }

    /// Twilio refuses a callback host with an underscore.
    private static func hostHasUnderscore(_ url: String) -> Bool {
        URLComponents(string: url)?.host?.contains("_") ?? false
    }

    private static func error(for problem: TwilioCreateMessageForm.Problem) -> TwilioError {
        switch problem {
        case .repeated(let name): TwilioError(status: .badRequest, code: 20422, message: "Invalid Parameter: \(name) is given more than once; give it once")
        case .unsupported(let name):
            TwilioError(status: .badRequest, code: 20422, message: "Invalid Parameter: \(name) is not supported by Switchboard; send without it")
        case .invalid(let name, let reason): TwilioError(status: .badRequest, code: 20422, message: "Invalid Parameter: \(name) \(reason)")
        }
    }

    private static func error(for error: SendError, to: String) -> TwilioError {
        switch error {
        case .invalidNumber: TwilioError(status: .badRequest, code: 21211, message: "Invalid 'To' Phone Number: \(to)")
        case .countryNotAllowed(_, let country):
            TwilioError(status: .badRequest, code: 21408, message: "Permission to send an SMS has not been enabled for the region indicated by the 'To' number: \(country)")
        case .renderFailed:
            TwilioError(status: .badRequest, code: 21617, message: "The message body cannot be sent: \(error)")
        case .deliveryFailed:
            TwilioError(status: .serviceUnavailable, code: 20503, message: "Every provider is unavailable for now; retry later")
        case .unknownApp, .noRoute, .senderRefused, .noTemplate:
            TwilioError(status: .badRequest, code: 21612, message: "The message cannot be routed: \(error)")
        }
    }
}
