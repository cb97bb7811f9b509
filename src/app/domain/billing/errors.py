from __future__ import annotations

from app.core.errors import AppError, Conflict, NotFound, PermissionDenied, ServiceUnavailable, ValidationFailed


class InvalidPaymentSignature(AppError):
    status = 400
    code = "invalid-payment-signature"
    title = "Invalid payment signature"

    def __init__(self) -> None:
        super().__init__("The payment signature does not match. Nothing was recorded.")


class InvalidWebhookSignature(AppError):
    status = 400
    code = "invalid-webhook-signature"
    title = "Invalid webhook signature"

    def __init__(self) -> None:
        super().__init__("The X-Razorpay-Signature header does not match the body.")


class PlanNotFound(NotFound):
    code = "plan-not-found"

    def __init__(self) -> None:
        super().__init__("Plan not found.")


class SubscriptionNotFound(NotFound):
    code = "subscription-not-found"

    def __init__(self) -> None:
        super().__init__("Subscription not found.")


class OrderNotFound(NotFound):
    code = "order-not-found"

    def __init__(self) -> None:
        super().__init__("Order not found.")


class GatewayUnavailable(AppError):
    status = 502
    code = "payment-gateway-error"
    title = "Payment gateway error"


class AdViewRequired(AppError):
    status = 402
    code = "ad-view-required"
    title = "Ad view required"

    def __init__(self) -> None:
        super().__init__("Guests watch a short ad before getting results: POST /api/ads/views, then complete it.")


class AdNotFinished(AppError):
    status = 409
    code = "ad-not-finished"
    title = "Ad not finished"


class SubscriptionExists(Conflict):
    code = "subscription-exists"

    def __init__(self) -> None:
        super().__init__(
            "You already have a subscription to this tier, live or awaiting payment (end it first to start another)."
        )


class CommissionAlreadyPaid(Conflict):
    code = "commission-already-paid"

    def __init__(self) -> None:
        super().__init__("This commission is paid already.")


class CommissionTermsMismatch(ValidationFailed):
    code = "commission-terms-mismatch"


class AdViewNotFound(NotFound):
    code = "ad-view-not-found"


class AdminOnly(PermissionDenied):
    code = "admin-only"


class OwnTier(ValidationFailed):
    code = "own-tier"


class CommissionCancelled(ValidationFailed):
    code = "commission-cancelled"


class InvalidWebhookBody(ValidationFailed):
    code = "invalid-webhook-body"


class BillingNotConfigured(ServiceUnavailable):
    code = "billing-not-configured"

    def __init__(self) -> None:
        super().__init__("Payments are not configured on this server (RAZORPAY_KEY_ID).")


class PayoutAccountNotFound(NotFound):
    code = "payout-account-not-found"

    def __init__(self) -> None:
        super().__init__("No payout account yet.")
