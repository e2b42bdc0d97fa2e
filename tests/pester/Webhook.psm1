# A webhook receiver for the alert tests and the tour: an HttpListener on 127.0.0.1 (a free
# port) that answers 204 to every request and keeps method, path, content type, headers
# and body. It serves until Stop-WebhookReceiver; nothing leaves the machine.

Set-StrictMode -Version Latest

function Start-WebhookReceiver {
    [CmdletBinding()]
    param([int] $Status = 204)
    $probe = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $probe.Start(); $port = $probe.LocalEndpoint.Port; $probe.Stop()
    $listener = [System.Net.HttpListener]::new()
    $listener.Prefixes.Add("http://127.0.0.1:$port/")
    $listener.Start()
    $requests = [System.Collections.Concurrent.ConcurrentQueue[object]]::new()
    $shell = [powershell]::Create()
    $null = $shell.AddScript({
        param($Listener, $Requests, $Status)
        while ($Listener.IsListening) {
            try { $context = $Listener.GetContext() } catch { break }
            $reader = [System.IO.StreamReader]::new($context.Request.InputStream)
            $headers = @{}
            foreach ($key in $context.Request.Headers.AllKeys) { $headers[$key] = $context.Request.Headers[$key] }
            $Requests.Enqueue([pscustomobject]@{
                Method      = $context.Request.HttpMethod
                Path        = $context.Request.Url.AbsolutePath
                ContentType = $context.Request.ContentType
                Headers     = $headers
                Body        = $reader.ReadToEnd()
            })
            $context.Response.StatusCode = $Status
            $context.Response.Close()
        }
    }).AddArgument($listener).AddArgument($requests).AddArgument($Status)
    $handle = $shell.BeginInvoke()
    [pscustomobject]@{ Uri = "http://127.0.0.1:$port"; Listener = $listener; Shell = $shell; Handle = $handle; Requests = $requests }
}

function Get-WebhookRequest {
    # The requests received so far, oldest first.
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Receiver)
    @($Receiver.Requests.ToArray())
}

function Stop-WebhookReceiver {
    [CmdletBinding()]
    param([Parameter(ValueFromPipeline)][AllowNull()] $Receiver)
    process {
        if (-not $Receiver) { return }
        $Receiver.Listener.Stop()
        $Receiver.Listener.Close()
        $null = $Receiver.Handle.AsyncWaitHandle.WaitOne(5000)
        $Receiver.Shell.Dispose()
    }
}

Export-ModuleMember -Function Start-WebhookReceiver, Get-WebhookRequest, Stop-WebhookReceiver
