import Logging
import SwitchboardCore
import SwitchboardTestSupport

/// What the failover tests build on: a message, a dispatcher over scripted providers, a plan.
enum Failover {
    static let logger = Logger(label: "failover-test")

    static func message(_ id: String = "msg_1") -> OutboundMessage {
        // A valid UK mobile from the drama range.
        let number = try! PhoneNumberParser.parse("+447700900123")
        return OutboundMessage(id: id, to: number, sender: nil, text: "123456 is your code", encoding: .gsm7, segments: 1)
    }

    static func plan(_ chain: [String], split: [WeightedProvider] = [], onAmbiguous: AmbiguousPolicy = .continue, route: String = "test") -> DeliveryPlan {
        DeliveryPlan(route: route, split: split, fallbacks: chain, onAmbiguous: onAmbiguous)
    }

    struct Rig {
        let dispatcher: FailoverDispatcher
        let breakers: CircuitBreakerRegistry
        let clock: any SwitchboardClock

        func deliver(_ plan: DeliveryPlan, deadline: Duration = .seconds(10), id: String = "msg_1") async -> [DeliveryAttempt] {
            await dispatcher.deliver(Failover.message(id), plan: plan, deadline: clock.now + deadline, logger: Failover.logger)
        }
    }

    static func rig(
        _ providers: [ScriptedProvider], clock: any SwitchboardClock = ManualClock(), breaker: BreakerSettings = BreakerSettings(),
        attemptTimeout: Duration = .seconds(3)
    ) -> Rig {
        let breakers = CircuitBreakerRegistry(settings: breaker, clock: clock)
        let dispatcher = FailoverDispatcher(providers: providers, attemptTimeout: attemptTimeout, breakers: breakers, clock: clock, alarms: .running(on: clock))
        return Rig(dispatcher: dispatcher, breakers: breakers, clock: clock)
    }
}
