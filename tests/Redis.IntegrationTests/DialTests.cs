using Redis.Testing;
using Redis.Tests.Infrastructure;
using static Redis.Tests.Infrastructure.Exec;

namespace Redis.Tests;

/// <summary>
/// Dialing against a redis-server of its own with a password and an ACL user:
/// AUTH, ACL users, SELECT, CLIENT SETNAME, HELLO 3, wrong passwords, URLs.
/// </summary>
[Trait("Server", "RedisOnly")]
public sealed class DialTests : IAsyncLifetime
{
    private const string Password = "dial-tests-secret-7f3a";
    private const string AclUser = "app";
    private const string AclPassword = "app-secret-91bd";
    private TestServer? _server;
    private string? _skipReason;

    private TestServer Server
    {
        get
        {
            Skip.If(_server is null, _skipReason);
            return _server!;
        }
    }

    public static TheoryData<bool> Modes() => new() { false, true };

    async Task IAsyncLifetime.InitializeAsync()
    {
        try
        {
            _server = await DedicatedServer.StartAsync(new TestServerOptions
            {
                Reason = "AUTH, ACL users and CLIENT SETNAME checks",
                ExtraArgs = ["--requirepass", Password],
            });
        }
        catch (SkipException skip)
        {
            _skipReason = skip.Message; // each test reports the skip itself
            return;
        }
        using IConn admin = Conn.Dial("tcp", Server.Address, new DialOptions { Password = Password });
        admin.Do("ACL", "SETUSER", AclUser, "on", ">" + AclPassword, "~*", "+@all");
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }

    private async Task<IConn> Dial(bool useAsync, DialOptions options)
        => useAsync ? await Conn.DialAsync("tcp", Server.Address, options) : Conn.Dial("tcp", Server.Address, options);

    private async Task<IConn> DialUrl(bool useAsync, string url)
        => useAsync ? await Conn.DialUrlAsync(url) : Conn.DialUrl(url);

    private static async Task<string> ClientInfo(IConn c, bool useAsync) => Text(await c.Do(useAsync, "CLIENT", "INFO"));

    [SkippableTheory, MemberData(nameof(Modes))]
    public async Task Password_AuthenticatesTheDefaultUser(bool useAsync)
    {
        await using IConn c = await Dial(useAsync, new DialOptions { Password = Password });
        Assert.Equal("default", Text(await c.Do(useAsync, "ACL", "WHOAMI")));
    }

    [SkippableTheory, MemberData(nameof(Modes))]
    public async Task WithoutPassword_CommandsAreRefusedWithNoAuth(bool useAsync)
    {
        await using IConn c = await Dial(useAsync, DialOptions.Default);
        var error = await Assert.ThrowsAsync<RedisServerException>(() => c.Do(useAsync, "GET", "x"));
        Assert.Equal("NOAUTH", error.Prefix);
    }

    [SkippableTheory, MemberData(nameof(Modes))]
    public async Task UsernameAndPassword_AuthenticateAnAclUser(bool useAsync)
    {
        await using IConn c = await Dial(useAsync, new DialOptions { Username = AclUser, Password = AclPassword });
        Assert.Equal(AclUser, Text(await c.Do(useAsync, "ACL", "WHOAMI")));
    }

    [SkippableTheory, MemberData(nameof(Modes))]
    public async Task WrongPassword_FailsTheDialWithoutRevealingThePassword(bool useAsync)
    {
        const string wrong = "definitely-wrong-pw-33";
        var error = await Assert.ThrowsAsync<RedisServerException>(() => Dial(useAsync, new DialOptions { Password = wrong }));
        Assert.Equal("WRONGPASS", error.Prefix);
        Assert.DoesNotContain(wrong, error.ToString());
        var resp3 = await Assert.ThrowsAsync<RedisServerException>(() => Dial(useAsync, new DialOptions { Password = wrong, Protocol = 3 }));
        Assert.DoesNotContain(wrong, resp3.ToString());
    }

    [SkippableTheory, MemberData(nameof(Modes))]
    public async Task DatabaseAndClientName_AreAppliedByTheHandshake(bool useAsync)
    {
        await using IConn c = await Dial(useAsync, new DialOptions { Password = Password, Database = 5, ClientName = "dial-test" });
        string info = await ClientInfo(c, useAsync);
        Assert.Contains("db=5", info);
        Assert.Contains("name=dial-test", info);
    }

    [SkippableTheory, MemberData(nameof(Modes))]
    public async Task Protocol3_SpeaksResp3WithAuthNameAndDatabase(bool useAsync)
    {
        await using IConn c = await Dial(useAsync, new DialOptions
        {
            Protocol = 3, Username = AclUser, Password = AclPassword, ClientName = "resp3-client", Database = 2,
        });
        string info = await ClientInfo(c, useAsync);
        Assert.Contains("resp=3", info);
        Assert.Contains("db=2", info);
        Assert.Contains("name=resp3-client", info);
        Assert.Contains($"user={AclUser}", info);
    }

    [SkippableTheory, MemberData(nameof(Modes))]
    public async Task Url_CarriesUserPasswordAndDatabase(bool useAsync)
    {
        string escaped = Uri.EscapeDataString(AclPassword);
        await using IConn c = await DialUrl(useAsync, $"redis://{AclUser}:{escaped}@{Server.Address}/3");
        Assert.Equal(AclUser, Text(await c.Do(useAsync, "ACL", "WHOAMI")));
        Assert.Contains("db=3", await ClientInfo(c, useAsync));
    }

    [SkippableTheory, MemberData(nameof(Modes))]
    public async Task SelectedDatabase_IsolatesKeys(bool useAsync)
    {
        string key = ServerFixture.Key("db");
        await using IConn db1 = await Dial(useAsync, new DialOptions { Password = Password, Database = 1 });
        await using IConn db0 = await Dial(useAsync, new DialOptions { Password = Password });
        await db1.Do(useAsync, "SET", key, "in-db-1");
        Assert.Null(await db0.Do(useAsync, "GET", key));
        Assert.Equal("in-db-1", Text(await db1.Do(useAsync, "GET", key)));
    }
}
