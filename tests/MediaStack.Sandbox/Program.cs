return await MediaStack.Sandbox.Cli.CliApp.Run(args);
