using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using MutualAid.Common;

namespace MutualAid.Premiums;

/// <summary>What the gateway is asked to collect: our order number, the amount, what it is for, until when.</summary>
public sealed record GatewayOrder(string Number, Money Amount, string Subject, DateTime ExpiresAt);

/// <summary>What the gateway reports paid: our order number, the amount, its own transaction number, when.</summary>
public sealed record GatewayPayment(string OrderNumber, Money Amount, string Transaction, DateTime PaidAt);

/// <summary>
/// An online payment gateway (UnionPay, WeChat Pay, Alipay…), the way they all work: the payer is
/// sent to the gateway's cashier with our order, pays there, and the gateway then notifies our
/// server with a signed message (and may repeat it until we acknowledge). Only a notification
/// that verifies counts as payment; the payer's return to our site proves nothing.
/// </summary>
public interface IPaymentGateway
{
    /// <summary>Where to send the payer to pay <paramref name="order"/>; the gateway sends them back to <paramref name="returnUrl"/>.</summary>
    string CashierUrl(GatewayOrder order, string returnUrl);

    /// <summary>The payment a notification reports if its signature verifies; null otherwise.</summary>
    GatewayPayment? Verify(IReadOnlyDictionary<string, string> fields);
}

/// <summary>
/// The development stand-in for a gateway: its cashier is a page of this site (<c>/pay/stub</c>)
/// where the payer presses 确认支付, and its notifications are signed with HMAC-SHA256 under a key
/// this site holds, so a forged or altered notification is refused as a real gateway's would be.
/// </summary>
public sealed class StubPaymentGateway(byte[] key) : IPaymentGateway
{
    public string CashierUrl(GatewayOrder order, string returnUrl) =>
        $"/pay/stub?order={Uri.EscapeDataString(order.Number)}&return={Uri.EscapeDataString(returnUrl)}";

    /// <summary>The notification the gateway sends for <paramref name="payment"/>: its fields and their signature.</summary>
    public Dictionary<string, string> Notify(GatewayPayment payment)
    {
        var fields = new Dictionary<string, string>
        {
            ["order"] = payment.OrderNumber,
            ["amount_fen"] = payment.Amount.Fen.ToString(CultureInfo.InvariantCulture),
            ["transaction"] = payment.Transaction,
            ["paid_at"] = payment.PaidAt.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        };
        fields["sign"] = Sign(fields);
        return fields;
    }

    public GatewayPayment? Verify(IReadOnlyDictionary<string, string> fields)
    {
        if (!fields.TryGetValue("sign", out var sign) || !fields.TryGetValue("order", out var order) || !fields.TryGetValue("transaction", out var transaction)
            || !fields.TryGetValue("amount_fen", out var fen) || !long.TryParse(fen, NumberStyles.None, CultureInfo.InvariantCulture, out var amount)
            || !fields.TryGetValue("paid_at", out var at) || !DateTime.TryParseExact(at, "yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out var paidAt))
            return null;
        var expected = Encoding.ASCII.GetBytes(Sign(fields));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(sign))
            ? new GatewayPayment(order, new Money(amount), transaction, paidAt)
            : null;
    }

    /// <summary>HMAC-SHA256 over every field but the signature, as key=value joined by &amp; in ordinal order of the keys.</summary>
    private string Sign(IReadOnlyDictionary<string, string> fields)
    {
        var text = string.Join("&", fields.Where(f => f.Key != "sign").OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key}={f.Value}"));
        return Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(text)));
    }
}
