using MutualAid.Printing;

namespace MutualAid.Web;

/// <summary>
/// The fund's account printed on payment notices, from configuration: <c>Fund:Issuer</c> (the office
/// that issues the documents; by default the region's 职工互助保障办公室), <c>Fund:Payee</c>,
/// <c>Fund:BankName</c> and <c>Fund:Account</c>. The demo city has a made-up account, so its notices
/// read as real ones; elsewhere a notice without one says the account is not set.
/// </summary>
internal static class FundSettings
{
    public static readonly FundAccount Demo = new(null, "宁波市职工互助保障会", "中国工商银行宁波分行营业部", "3901000000000002026");

    public static FundAccount Read(IConfiguration configuration, bool demo)
    {
        var section = configuration.GetSection("Fund");
        var fallback = demo ? Demo : FundAccount.None;
        return new FundAccount(
            section["Issuer"] ?? fallback.Issuer,
            section["Payee"] ?? fallback.Payee,
            section["BankName"] ?? fallback.BankName,
            section["Account"] ?? fallback.Account);
    }
}
