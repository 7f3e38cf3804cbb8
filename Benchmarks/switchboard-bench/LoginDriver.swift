import Foundation
import NIOCore
import NIOHTTP1

/// A run of ``LoginLoad`` on its event loop: the client token, each worker's users, then every
/// worker's logins until the time is up.
final class LoginDriver {
    private let settings: LoginLoad.Settings
    private let loop: any EventLoop
    private let done: EventLoopPromise<LoginLoad.Outcome>
    private var workers: [LoginWorker] = []
    private var unfinished = 0
    private var start = NIODeadline.now()
    private(set) var end = NIODeadline.now()
    private var outcome = LoginLoad.Outcome()
    /// Set once the outcome or a failure is handed on: workers still answering then change nothing.
    private var over = false

    init(settings: LoginLoad.Settings, loop: any EventLoop) {
        self.settings = settings
        self.loop = loop
        done = loop.makePromise()
    }

    func run() -> EventLoopFuture<LoginLoad.Outcome> {
        let daemon = settings.daemons[0]
        let connection = LoadConnection(to: daemon, on: loop)
        let form = "grant_type=client_credentials&client_id=\(settings.clientID)&client_secret=\(settings.secret)"
        let request = LoadRequest(.POST, "/oidc/token", to: daemon, contentType: "application/x-www-form-urlencoded", body: form)
        connection.exchange(request) { result in
            connection.close()
            do {
                let answer = try result.get()
                let text = String(buffer: answer.body)
                guard answer.status == 200, let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
                    let token = object["access_token"] as? String
                else { throw LoginLoad.Failure(kind: "client token: \(answer.status) \(text)") }
                self.createUsers(authorization: "Bearer \(token)")
            } catch {
                self.fail(error)
            }
        }
        return done.futureResult
    }

    /// UK drama-range style mobiles, distinct per worker: +44 7700 9xxxxx. Each worker registers its
    /// own; the logins start once all are.
    private func createUsers(authorization: String) {
        let perWorker = settings.numbersPerWorker
        workers = (0..<settings.workers).map { worker in
            let numbers = (worker * perWorker..<(worker + 1) * perWorker).map { "+4477009" + String(format: "%05d", $0) }
            return LoginWorker(
                driver: self, daemons: settings.daemons.map { LoadConnection(to: $0, on: loop) }, first: worker,
                provider: LoadConnection(to: settings.provider, on: loop), numbers: numbers, authorization: authorization, loop: loop
            )
        }
        unfinished = workers.count
        for worker in workers {
            worker.createUsers { failure in
                if let failure { return self.fail(failure) }
                self.unfinished -= 1
                if self.unfinished == 0 { self.startLogins() }
            }
        }
    }

    private func startLogins() {
        start = .now()
        end = start + settings.duration
        unfinished = workers.count
        for worker in workers { worker.loginAgain() }
    }

    /// A worker found the time up when it was to start another login.
    func finished(_ worker: LoginWorker) {
        outcome.latenciesMs += worker.latenciesMs
        outcome.errors.merge(worker.errors, uniquingKeysWith: +)
        unfinished -= 1
        guard unfinished == 0, !over else { return }
        over = true
        outcome.elapsed = .now() - start
        closeAll()
        done.succeed(outcome)
    }

    private func fail(_ error: any Error) {
        guard !over else { return }
        over = true
        closeAll()
        done.fail(error)
    }

    private func closeAll() {
        for worker in workers { worker.close() }
        workers = []
    }
}

/// One client of ``LoginLoad``: its numbers, logged in one after another for as long as the run lasts.
final class LoginWorker {
    /// Held strongly: the workers are all that keeps the driver while the logins run; it lets them
    /// go when the run ends.
    private let driver: LoginDriver
    private let daemons: [LoadConnection]
    private let provider: LoadConnection
    private let numbers: [String]
    private let authorization: String
    private let loop: any EventLoop
    /// The daemon of the next request, in turn.
    private var turn: Int
    private var index = 0
    private(set) var latenciesMs: [Double] = []
    private(set) var errors: [String: Int] = [:]

    init(
        driver: LoginDriver, daemons: [LoadConnection], first: Int, provider: LoadConnection, numbers: [String], authorization: String,
        loop: any EventLoop
    ) {
        self.driver = driver
        self.daemons = daemons
        self.provider = provider
        self.numbers = numbers
        self.authorization = authorization
        self.loop = loop
        turn = first
    }

    /// Registers the worker's numbers one by one (an earlier run's users answer `409`), then calls
    /// `then` with nil, or with the first failure.
    func createUsers(from position: Int = 0, then: @escaping ((any Error)?) -> Void) {
        guard position < numbers.count else { return then(nil) }
        let daemon = daemons[turn % daemons.count]
        let request = LoadRequest(
            .POST, "/cis/v1/users", to: daemon.target, contentType: "application/json", authorization: authorization,
            body: #"{"phone_number":"\#(numbers[position])"}"#
        )
        daemon.exchange(request) { result in
            switch result {
            case .success(let answer) where answer.status == 201 || answer.status == 409:
                self.createUsers(from: position + 1, then: then)
            case .success(let answer):
                then(LoginLoad.Failure(kind: "create user: \(answer.status) \(String(buffer: answer.body))"))
            case .failure(let error):
                then(error)
            }
        }
    }

    /// One login: `otp/send`, the code the fake provider kept, `otp/authenticate`; then the next,
    /// until the run's end.
    func loginAgain() {
        guard NIODeadline.now() < driver.end else { return driver.finished(self) }
        let number = numbers[index % numbers.count]
        index += 1
        let started = NIODeadline.now()
        let send = nextDaemon()
        let asked = LoadRequest(
            .POST, "/cis/v1/auth/otp/send", to: send.target, contentType: "application/json", authorization: authorization,
            body: #"{"channel":"sms","identifier":"\#(number)","identifier_type":"phone_number"}"#
        )
        send.exchange(asked) { result in
            self.expect(result, "send") { _ in
                let encoded = number.replacingOccurrences(of: "+", with: "%2B")
                self.provider.exchange(LoadRequest(.GET, "/code?to=\(encoded)", to: self.provider.target)) { result in
                    self.expect(result, "code") { found in
                        self.authenticate(number, code: String(buffer: found.body), started: started)
                    }
                }
            }
        }
    }

    private func authenticate(_ number: String, code: String, started: NIODeadline) {
        let daemon = nextDaemon()
        let request = LoadRequest(
            .POST, "/cis/v1/auth/otp/authenticate", to: daemon.target, contentType: "application/json", authorization: authorization,
            body: #"{"passcode":"\#(code)","identifier":"\#(number)","identifier_type":"phone_number"}"#
        )
        daemon.exchange(request) { result in
            self.expect(result, "authenticate") { _ in
                self.latenciesMs.append(Double((NIODeadline.now() - started).nanoseconds) / 1e6)
                self.loginAgain()
            }
        }
    }

    /// Goes on with a `200`; counts anything else by step and status (or the transport's error)
    /// and starts the next login from the loop, not from within this call: a connection refused at
    /// once would otherwise start login after login on one stack.
    private func expect(_ result: Result<LoadAnswer, any Error>, _ step: String, then next: (LoadAnswer) -> Void) {
        let failure: String
        switch result {
        case .success(let answer) where answer.status == 200: return next(answer)
        case .success(let answer): failure = "\(step) \(answer.status)"
        case .failure(let error): failure = "transport: \(type(of: error))"
        }
        errors[failure, default: 0] += 1
        loop.assumeIsolated().execute { self.loginAgain() }
    }

    private func nextDaemon() -> LoadConnection {
        defer { turn += 1 }
        return daemons[turn % daemons.count]
    }

    func close() {
        for daemon in daemons { daemon.close() }
        provider.close()
    }
}
