use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use clap::Args;

use super::{exit, Failure};

#[derive(Debug, Args)]
pub struct EchoArgs {
    /// Port to listen on (0 picks a free one)
    #[arg(short, long, default_value_t = 8080)]
    pub port: u16,
    /// Address to bind; loopback by default so nothing outside can reach it
    #[arg(long, default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST))]
    pub bind: IpAddr,
}

pub fn run(args: EchoArgs) -> Result<(), Failure> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Failure::new(exit::HTTP, format!("starting the runtime: {e}")))?;
    rt.block_on(async {
        let addr = SocketAddr::new(args.bind, args.port);
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|e| Failure::new(exit::CONNECT, format!("cannot listen on {addr}: {e}")))?;
        let local = listener.local_addr().unwrap_or(addr);
        eprintln!("postie echo listening on http://{local} (Ctrl-C to stop)");
        tokio::select! {
            r = crate::echo::serve(listener) => r.map_err(|e| Failure::new(exit::HTTP, format!("echo server: {e}"))),
            _ = tokio::signal::ctrl_c() => Ok(()),
        }
    })
}
