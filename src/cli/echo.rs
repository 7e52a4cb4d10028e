use std::future::Future;
use std::io;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use clap::Args;
use tokio::net::TcpListener;

use super::{exit, Failure};
use crate::echo::newman;

#[derive(Debug, Args)]
pub struct EchoArgs {
    /// Port to listen on (0 picks a free one)
    #[arg(short, long, default_value_t = 8080)]
    pub port: u16,
    /// Address to bind; loopback by default so nothing outside can reach it
    #[arg(long, default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST))]
    pub bind: IpAddr,
    /// Also serve newman's raw echo (answers with the raw request) on this
    /// port; newman's tests use 4041
    #[arg(long, value_name = "PORT")]
    pub raw_port: Option<u16>,
    /// Also serve newman's redirect server on this port; newman's tests use
    /// 4042
    #[arg(long, value_name = "PORT")]
    pub redirect_port: Option<u16>,
}

async fn listen(addr: SocketAddr, what: &str) -> Result<TcpListener, Failure> {
    let listener = TcpListener::bind(addr)
        .await
        .map_err(|e| Failure::new(exit::CONNECT, format!("cannot listen on {addr}: {e}")))?;
    let local = listener.local_addr().unwrap_or(addr);
    eprintln!("postie echo: {what} on http://{local}");
    Ok(listener)
}

/// Runs `serve` on the listener when there is one, else never finishes.
async fn optional<F, Fut>(listener: Option<TcpListener>, serve: F) -> io::Result<()>
where
    F: FnOnce(TcpListener) -> Fut,
    Fut: Future<Output = io::Result<()>>,
{
    match listener {
        Some(listener) => serve(listener).await,
        None => std::future::pending().await,
    }
}

pub fn run(args: EchoArgs) -> Result<(), Failure> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Failure::new(exit::HTTP, format!("starting the runtime: {e}")))?;
    rt.block_on(async {
        let main = listen(SocketAddr::new(args.bind, args.port), "echo").await?;
        let raw = match args.raw_port {
            Some(port) => Some(listen(SocketAddr::new(args.bind, port), "newman's raw echo").await?),
            None => None,
        };
        let redirect = match args.redirect_port {
            Some(port) => Some(
                listen(SocketAddr::new(args.bind, port), "newman's redirect server").await?,
            ),
            None => None,
        };
        eprintln!("postie echo: Ctrl-C to stop");
        let failed = |what: &str, e: io::Error| Failure::new(exit::HTTP, format!("{what}: {e}"));
        tokio::select! {
            r = crate::echo::serve(main) => r.map_err(|e| failed("echo server", e)),
            r = optional(raw, newman::serve_raw) => r.map_err(|e| failed("raw echo server", e)),
            r = optional(redirect, newman::serve_redirect) => r.map_err(|e| failed("redirect server", e)),
            _ = tokio::signal::ctrl_c() => Ok(()),
        }
    })
}
