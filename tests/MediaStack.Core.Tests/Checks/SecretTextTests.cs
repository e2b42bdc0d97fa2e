using MediaStack.Core.Checks;

namespace MediaStack.Core.Tests.Checks;

public sealed class SecretTextTests
{
    [Theory]
    [InlineData("GET https://u:p4ss@real-debrid.example/d/x?token=T0K3N failed", "GET https://***@real-debrid.example/d/x?*** failed")]
    [InlineData("Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.abc.def", "Authorization: Bearer ***")]
    [InlineData("password=hunter2, user=x", "password=***, user=x")]
    [InlineData("api_key: abcdef123", "api_key: ***")]
    [InlineData("mounts its secret rclone-zurg-config", "mounts its secret rclone-zurg-config")]
    [InlineData("secret \"rclone-config\" not found", "secret \"rclone-config\" not found")]
    public void Masks_credentials_and_keeps_prose(string text, string expected)
    {
        Assert.Equal(expected, SecretText.Redact(text));
    }
}
