//! Generated benchmark inputs of a given size: realistic, varied lines of each kind (shared by
//! the throughput and the memory benchmarks).

/// An nginx error log of about `bytes` bytes: the common upstream failures, a multi-line
/// FastCGI stderr entry, varying connections, times and clients.
pub fn error_log(bytes: usize) -> String {
    let templates = [
        "connect() to unix:/run/php/php8.3-fpm.sock failed (2: No such file or directory) while connecting to upstream, client: 203.0.113.{c}, server: example.com, request: \"GET /index.php?id={n} HTTP/1.1\", upstream: \"fastcgi://unix:/run/php/php8.3-fpm.sock:\", host: \"example.com\"",
        "connect() failed (111: Connection refused) while connecting to upstream, client: 198.51.100.{c}, server: api.example.com, request: \"POST /v1/orders/{n} HTTP/1.1\", upstream: \"http://127.0.0.1:8000/v1/orders/{n}\", host: \"api.example.com\", referrer: \"https://app.example.com/checkout\"",
        "upstream timed out (110: Connection timed out) while reading response header from upstream, client: 192.0.2.{c}, server: shop.example.com, request: \"GET /report/{n} HTTP/2.0\", upstream: \"fastcgi://127.0.0.1:9000\", host: \"shop.example.com\"",
        "FastCGI sent in stderr: \"PHP message: PHP Warning:  Undefined variable $x in /var/www/html/page{n}.php on line 12\nStack trace:\n#0 {main}\" while reading response header from upstream, client: 203.0.113.{c}, server: example.com, request: \"GET / HTTP/1.1\", upstream: \"fastcgi://unix:/run/php/php8.3-fpm.sock:\", host: \"example.com\"",
        "recv() failed (104: Connection reset by peer) while reading response header from upstream, client: 203.0.113.{c}, server: example.com, request: \"GET /a/{n} HTTP/1.1\", upstream: \"http://10.0.0.5:8080/a/{n}\", host: \"example.com\"",
        "no live upstreams while connecting to upstream, client: 203.0.113.{c}, server: example.com, request: \"GET /b/{n} HTTP/1.1\", upstream: \"http://backend/b/{n}\", host: \"example.com\"",
    ];
    let mut out = String::with_capacity(bytes + 1024);
    let mut n = 0usize;
    while out.len() < bytes {
        let t = templates[n % templates.len()];
        let line = t.replace("{c}", &(n % 250).to_string()).replace("{n}", &n.to_string());
        let (s, conn) = (n % 60, 1000 + n);
        out.push_str(&format!(
            "2026/11/21 10:{:02}:{s:02} [error] 2211#2211: *{conn} {line}\n",
            (n / 60) % 60
        ));
        n += 1;
    }
    out
}

/// An access log in the combined format with `$upstream_status` and times appended.
pub fn access_log(bytes: usize) -> String {
    let mut out = String::with_capacity(bytes + 1024);
    let mut n = 0usize;
    while out.len() < bytes {
        let status = [200, 200, 200, 304, 404, 502, 504][n % 7];
        out.push_str(&format!(
            "203.0.113.{} - - [21/Nov/2026:10:{:02}:{:02} +0000] \"GET /page/{n} HTTP/1.1\" {status} {} \"https://example.com/\" \"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36\" rt=0.{:03} uct=\"0.001\" uht=\"0.{:03}\" urt=\"0.{:03}\" us=\"{status}\"\n",
            n % 250, (n / 60) % 60, n % 60, 1000 + n % 50_000, n % 1000, n % 997, n % 991
        ));
        n += 1;
    }
    out
}

/// An nginx configuration: an http block with many server blocks, upstreams and locations.
pub fn nginx_config(bytes: usize) -> String {
    let mut out = String::from(
        "user www-data;\nworker_processes auto;\nevents { worker_connections 1024; }\nhttp {\n    log_format main '$remote_addr - $remote_user [$time_local] \"$request\" $status';\n",
    );
    let mut n = 0usize;
    while out.len() < bytes {
        out.push_str(&format!(
            "    upstream app{n} {{\n        server 10.0.{}.{}:8080 max_fails=3 fail_timeout=10s;\n        keepalive 32;\n    }}\n    server {{\n        listen 80;\n        server_name site{n}.example.com www.site{n}.example.com;\n        root /var/www/site{n};\n        # comment {n}\n        location / {{ try_files $uri $uri/ /index.php?$args; }}\n        location ~ \\.php$ {{\n            include fastcgi_params;\n            fastcgi_param SCRIPT_FILENAME $document_root$fastcgi_script_name;\n            fastcgi_pass unix:/run/php/php8.3-fpm.sock;\n            fastcgi_read_timeout 300s;\n        }}\n        location /api/ {{ proxy_pass http://app{n}; proxy_set_header Host \"$host\"; proxy_read_timeout 120s; }}\n    }}\n",
            n % 250, n % 250
        ));
        n += 1;
    }
    out.push_str("}\n");
    out
}
