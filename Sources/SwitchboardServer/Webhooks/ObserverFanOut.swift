import SwitchboardCore
import SwitchboardOTP

/// Several send observers heard as one (the metrics and the webhook events), in order.
struct SendObservers: SendObserver {
    let observers: [any SendObserver]

    func sendFinished(_ record: MessageRecord, elapsed: Duration) {
        for observer in observers { observer.sendFinished(record, elapsed: elapsed) }
    }

    func tokenRequested(provider: String, failure: String?) {
        for observer in observers { observer.tokenRequested(provider: provider, failure: failure) }
    }
}

/// Several login observers heard as one (the metrics and the webhook events), in order.
struct LoginObservers: LoginObserver {
    let observers: [any LoginObserver]

    func loginEvent(_ event: LoginEvent, app: String, country: String) {
        for observer in observers { observer.loginEvent(event, app: app, country: country) }
    }

    func codeChecked(_ result: OTPVerificationResult, app: String, userID: String?, number: String?) {
        for observer in observers { observer.codeChecked(result, app: app, userID: userID, number: number) }
    }

    func conversionSlowdowns(_ slowed: [ConversionScope], app: String) {
        for observer in observers { observer.conversionSlowdowns(slowed, app: app) }
    }
}
