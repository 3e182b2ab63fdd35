using System.Security.Cryptography;
using System.Text;
using MutualAid.Auditing;
using MutualAid.Benefits;
using MutualAid.Data;
using MutualAid.Premiums;

namespace MutualAid.Web;

/// <summary>
/// The payment gateway's notifications: <c>POST /api/v1/payments/notify</c> with the gateway's
/// signed form fields. A verified one records the payment (once, however often it comes) and is
/// answered <c>success</c>, which stops the gateway repeating it; anything else is answered 400.
/// </summary>
internal static class PaymentNotifications
{
    public static void Map(WebApplication app)
    {
        app.MapPost("/api/v1/payments/notify", async (HttpRequest request, MutualAidDbContext db, TimeProvider clock) =>
        {
            if (request.HttpContext.RequestServices.GetService<IPaymentGateway>() is not { } gateway)
                return Results.Text("fail: 未开通在线缴费", statusCode: StatusCodes.Status503ServiceUnavailable);
            if (!request.HasFormContentType)
                return Results.Text("fail: 通知应为表单（application/x-www-form-urlencoded）", statusCode: StatusCodes.Status400BadRequest);
            Dictionary<string, string> fields;
            try
            {
                fields = (await request.ReadFormAsync()).ToDictionary(f => f.Key, f => f.Value.ToString());
            }
            catch (Exception e) when (e is InvalidDataException or BadHttpRequestException)
            {
                return Results.Text("fail: 表单无法读取（过大或格式不对）", statusCode: StatusCodes.Status400BadRequest);
            }
            return await HandleAsync(fields, gateway, db, clock) is { } problem
                ? Results.Text($"fail: {problem}", statusCode: StatusCodes.Status400BadRequest)
                : Results.Text("success");
        }).AllowAnonymous().DisableAntiforgery().WithTags("MutualAid").WithSummary("支付网关的异步通知（验签后入账）");
    }

    /// <summary>The stub's key from configuration (<c>Payments:StubKey</c>), or a new one for this run.</summary>
    public static IPaymentGateway Gateway(IConfiguration configuration) =>
        new StubPaymentGateway(configuration["Payments:StubKey"] is { Length: > 0 } key ? Encoding.UTF8.GetBytes(key) : RandomNumberGenerator.GetBytes(32));

    /// <summary>Records a notification's payment; the reason when it is refused.</summary>
    public static async Task<string?> HandleAsync(IReadOnlyDictionary<string, string> fields, IPaymentGateway gateway, MutualAidDbContext db, TimeProvider clock)
    {
        if (gateway.Verify(fields) is not { } payment)
            return "签名不符";
        try
        {
            await new OnlinePremiums(db, clock).ConfirmAsync(payment, Actor.System("支付网关"), default);
            return null;
        }
        catch (InvalidInputException e)
        {
            db.ChangeTracker.Clear();
            return Outcome.Text(e);
        }
    }
}
