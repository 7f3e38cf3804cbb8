import SwitchboardCore

extension LoginService {
    /// Tells the observer, if there is one, of `event`, with the country of `number` (E.164).
    ///
    /// A code check knows the user's stored number, not always the one its code went to (a
    /// `custom_phone_number`); a wrong, expired or locked check is counted by the stored one.
    /// `read` is the request's identifier, when it was a number: usually `number`, already read.
    func report(_ event: LoginEvent, app: String, number: String?, userID: String? = nil, read: PhoneNumber? = nil) {
        guard let observer else { return }
        let country = if let read, let number, read.e164 == number { read.region } else { Self.country(of: number) }
        observer.loginEvent(event, app: app, country: country)
        if case .verified(let result) = event {
            observer.codeChecked(result, app: app, userID: userID, number: number)
        }
    }

    /// A number that no longer parses (the numbering plan changed) counts as of no known country;
    /// the send path logs it when it meets it.
    private static func country(of number: String?) -> String {
        guard let number, let parsed = try? PhoneNumberParser.parse(number) else { return LoginEvent.unknownCountry }
        return parsed.region
    }
}
