/// Why a message was not sent. Each case says what was wrong and what to do about it.
package enum SendError: Error, Sendable, CustomStringConvertible {
    /// The destination is not a valid international number.
    case invalidNumber(String, PhoneNumberError)
    case unknownApp(String, known: [String])
    /// The app's country policy forbids the destination.
    case countryNotAllowed(app: String, country: String)
    /// No routing rule matched (the config has no catch-all).
    case noRoute(number: String, country: String)
    /// Alphanumeric senders are refused in the destination country.
    case senderRefused(sender: String, country: String)
    /// A template send to a route and app with no template for the kind.
    case noTemplate(route: String, kind: MessageKind)
    case renderFailed(RenderError)
    /// Providers were tried (or skipped) and none accepted; the record holds every attempt.
    case deliveryFailed(MessageRecord)

    package var description: String {
        switch self {
        case .invalidNumber(let input, let reason):
            "\"\(input)\" is not a valid destination: \(reason)"
        case .unknownApp(let app, let known):
            "there is no app '\(app)'\(Suggestion.didYouMean(app, among: known)); configured apps: \(known.joined(separator: ", "))"
        case .countryNotAllowed(let app, let country):
            "app '\(app)' may not send to \(country); see its 'countries' in the configuration"
        case .noRoute(let number, let country):
            "no route matches \(number) (\(country)); add a catch-all rule at the end of 'routes'"
        case .senderRefused(let sender, let country):
            "networks in \(country) refuse alphanumeric senders such as '\(sender)'; use a phone number or short code"
        case .noTemplate(let route, let kind):
            "route '\(route)' has no template for \(kind.rawValue) messages; send text, or give the route a template"
        case .renderFailed(let error):
            "\(error)"
        case .deliveryFailed(let record):
            (record.everyProviderSkipped ? "no provider is available for the message: " : "no provider accepted the message: ")
                + record.attempts.map { attempt in
                    let why = [attempt.providerCode, attempt.providerMessage].compactMap { $0 }.joined(separator: ": ")
                    return "\(attempt.provider) \(attempt.outcome.rawValue)\(why.isEmpty ? "" : " (\(why))")"
                }.joined(separator: "; ")
        }
    }
}
