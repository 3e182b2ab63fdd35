using System.CommandLine;
using MutualAid.Access;

namespace MutualAid.Cli;

/// <summary><c>mutualaid user add | list | password | disable | enable</c>: accounts and their scope.</summary>
internal static class UserCommands
{
    public static Command Create()
    {
        var command = new Command("user", "用户与权限") { Add(), List(), Password() };
        command.Subcommands.Add(Toggle("disable", "停用用户（不能再登录，记录保留）", disabled: true));
        command.Subcommands.Add(Toggle("enable", "启用停用的用户", disabled: false));
        return command;
    }

    private static Argument<string> NameArgument() => new("NAME") { Description = "用户名（登录名）" };

    public static Option<bool> PasswordStdinOption() => new("--password-stdin") { Description = "从标准输入读密码；不给则生成一个并显示一次" };

    private static Command Add()
    {
        var name = NameArgument();
        var display = new Option<string>("--display") { Description = "姓名或称呼，显示在页面上", Required = true };
        var role = new Option<string>("--role") { Description = $"角色：{string.Join("、", Roles.Names.Select(r => $"{r.Key}（{r.Value}）"))}", Required = true };
        var district = new Option<string?>("--district") { Description = "区县代码：只看该区县（经办、复核、财务）；不给则全市" };
        var unit = new Option<string?>("--unit") { Description = "单位统一社会信用代码（单位经办）" };
        var member = new Option<string?>("--member") { Description = "会员身份证号（会员）" };
        var stdin = PasswordStdinOption();
        var (db, json) = (Shared.DbOption(), Shared.JsonOption());
        var command = new Command("add", "新建用户：角色与范围") { name, display, role, district, unit, member, stdin, db, json };
        command.SetAction((parse, cancellationToken) => Shared.WithDatabaseAsync(parse.GetValue(db), async (context, ct) =>
        {
            var (password, generated) = await PasswordAsync(parse.GetValue(stdin));
            var input = new UserInput(parse.GetValue(name)!, parse.GetValue(display)!, parse.GetValue(role)!, parse.GetValue(district), parse.GetValue(unit), parse.GetValue(member));
            var user = await UserAdmin.For(context).AddAsync(input, password, ct);
            Shared.Say(parse.GetValue(json), new { user.Id, user.UserName, Password = generated ? password : null },
                $"已建用户 {user.UserName}（{Roles.Names[input.Role]}）" + (generated ? $"，初始密码 {password}（只显示这一次）" : ""));
            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }

    private static Command List()
    {
        var (db, json) = (Shared.DbOption(), Shared.JsonOption());
        var command = new Command("list", "列出用户、角色与范围") { db, json };
        command.SetAction((parse, cancellationToken) => Shared.WithDatabaseAsync(parse.GetValue(db), async (context, ct) =>
        {
            var rows = await UserAdmin.For(context).ListAsync(ct);
            if (parse.GetValue(json))
                Shared.WriteJson(rows);
            else
                foreach (var u in rows)
                    Console.WriteLine($"{u.UserName}\t{u.DisplayName}\t{u.Roles}\t{u.Scope}{(u.Disabled ? "\t已停用" : "")}");
            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }

    private static Command Password()
    {
        var name = NameArgument();
        var stdin = PasswordStdinOption();
        var (db, json) = (Shared.DbOption(), Shared.JsonOption());
        var command = new Command("password", "重设密码（并解除锁定）") { name, stdin, db, json };
        command.SetAction((parse, cancellationToken) => Shared.WithDatabaseAsync(parse.GetValue(db), async (context, ct) =>
        {
            var (password, generated) = await PasswordAsync(parse.GetValue(stdin));
            await UserAdmin.For(context).SetPasswordAsync(parse.GetValue(name)!, password, ct);
            Shared.Say(parse.GetValue(json), new { UserName = parse.GetValue(name), Password = generated ? password : null },
                $"已重设 {parse.GetValue(name)} 的密码" + (generated ? $"：{password}（只显示这一次）" : ""));
            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }

    private static Command Toggle(string verb, string description, bool disabled)
    {
        var name = NameArgument();
        var db = Shared.DbOption();
        var command = new Command(verb, description) { name, db };
        command.SetAction((parse, cancellationToken) => Shared.WithDatabaseAsync(parse.GetValue(db), async (context, ct) =>
        {
            await UserAdmin.For(context).SetDisabledAsync(parse.GetValue(name)!, disabled, ct);
            Console.WriteLine($"已{(disabled ? "停用" : "启用")} {parse.GetValue(name)}");
            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }

    /// <summary>A password read from stdin (never from the command line, which other users and the shell history see), or a new one.</summary>
    public static async Task<(string Password, bool Generated)> PasswordAsync(bool fromStdin) =>
        fromStdin ? ((await Console.In.ReadLineAsync())?.Trim() ?? "", false) : (UserAdmin.NewPassword(), true);
}
