import SwitchboardCore

extension LoginService {
    /// The app's rules on where a code may go and whom it may seem to come from, checked before
    /// anything is stored or counted: the country, the kind of line, and the sender.
    func checkDestination(_ destination: PhoneNumber, send: ValidSendOTPInput, app: AppSettings) throws(LoginError) {
        let field =
            if send.customNumber != nil { "custom_phone_number" } else if send.identifierNumber == destination { "identifier" } else {
                "the user's phone number"
            }
        try checkDestination(destination, field: field, sender: send.sender, app: app)
    }

    /// The same rules for a number `field` names in a refusal, and the sender asked for, if any.
    func checkDestination(_ destination: PhoneNumber, field: String, sender: SenderID?, app: AppSettings) throws(LoginError) {
        do {
            try checkDestinationRules(destination, field: field, sender: sender, app: app)
        } catch {
            if case .refused(let refusal) = error { observer?.loginEvent(.abuseRefused(refusal.rule), app: app.id, country: destination.region) }
            throw error
        }
    }

    private func checkDestinationRules(_ destination: PhoneNumber, field: String, sender: SenderID?, app: AppSettings) throws(LoginError) {
        guard app.countries.permits(destination.region) else {
            throw .invalidInput("this app may not send to \(destination.region); see its countries in the configuration")
        }
        guard app.otp.numberTypes.contains(destination.numberType) else {
            throw .refused(.numberType(destination.numberType, allowed: app.otp.numberTypes, field: field))
        }
        if let sender {
            let routeSender = gateway.router.decide(destination, app: app.id, kind: .otp)?.sender
            let allowed = (routeSender.map { [$0] } ?? []) + app.senders.filter { $0 != routeSender }
            guard allowed.contains(sender) else {
                throw .refused(.sender(sender.description, allowed: allowed.map(\.description)))
            }
        }
    }

    /// The counters one send is held to, each with its limits: the number's, the user's (so one
    /// user cannot go round a number's cool-down by naming other numbers), and, for a
    /// `custom_phone_number`, the user's custom sends.
    static func sendLimitKeys(app: AppSettings, to number: String, user: String, customNumber: Bool, address: String?) -> [SendLimitKey] {
        let limits = SendLimits(resendAfter: app.otp.resendAfter, maxPerHour: app.otp.maxSendsPerHour)
        var keys = [SendLimitKey(key: "\(app.id):\(number)", limits: limits)]
        if user != number { keys.append(SendLimitKey(key: "\(app.id):user:\(user)", limits: limits)) }
        if customNumber {
            let custom = SendLimits(resendAfter: .zero, maxPerHour: app.customPhoneNumber.maxSendsPerHour)
            keys.append(SendLimitKey(key: "\(app.id):custom:\(user)", limits: custom))
        }
        if let address, let rule = app.otp.perAddress {
            keys.append(SendLimitKey(key: "\(app.id):address:\(address)", limits: SendLimits(resendAfter: .zero, maxPerHour: rule.maxSendsPerHour)))
        }
        return keys
    }
}
